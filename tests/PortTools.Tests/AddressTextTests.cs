using System.Net;
using PortTools.Query;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>The one address grammar: what the user typed means that address, or it is refused.</summary>
    public class AddressTextTests
    {
        [Theory]
        [InlineData("1.2.3.4", "1.2.3.4")]
        [InlineData("0.0.0.0", "0.0.0.0")]
        [InlineData("255.255.255.255", "255.255.255.255")]
        [InlineData("10.0.0.1", "10.0.0.1")]
        [InlineData("192.168.100.200", "192.168.100.200")]
        [InlineData(" 1.2.3.4 ", "1.2.3.4")]          // pasted text: spaces and tabs around are dropped
        [InlineData("\t127.0.0.1", "127.0.0.1")]
        [InlineData("::", "::")]
        [InlineData("::1", "::1")]
        [InlineData("2001:db8::1", "2001:db8::1")]
        [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
        [InlineData("0001:0db8::0001", "1:db8::1")]   // leading zeros in hex groups are standard IPv6
        [InlineData("::ffff:1.2.3.4", "::ffff:1.2.3.4")]
        [InlineData("64:ff9b::192.0.2.33", "64:ff9b::c000:221")]
        [InlineData("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304")]
        [InlineData("[::1]", "::1")]
        [InlineData(" [2001:db8::1] ", "2001:db8::1")]
        public void AcceptsDottedQuadsAndStandardIPv6(string text, string expected)
        {
            Assert.True(AddressText.TryParse(text, out IPAddress? address, out string? zone));
            Assert.Equal(IPAddress.Parse(expected), address);
            Assert.Null(zone);
        }

        [Theory]
        [InlineData("fe80::1%eth0", "fe80::1", "eth0", 0L)]
        [InlineData("fe80::1%2", "fe80::1", "2", 2L)]
        [InlineData("fe80::1%4294967295", "fe80::1", "4294967295", 4294967295L)]
        [InlineData("[fe80::1%eth0]", "fe80::1", "eth0", 0L)]
        [InlineData("fe80::1%enp0s31f6", "fe80::1", "enp0s31f6", 0L)]
        [InlineData("fe80::1%br-1a2b.10", "fe80::1", "br-1a2b.10", 0L)]
        [InlineData("ff02::1%eth0", "ff02::1", "eth0", 0L)]   // link-local multicast
        [InlineData("ff01::1%1", "ff01::1", "1", 1L)]         // interface-local multicast
        public void KeepsTheZoneOfScopedAddresses(string text, string expected, string expectedZone, long scopeId)
        {
            Assert.True(AddressText.TryParse(text, out IPAddress? address, out string? zone));
            Assert.Equal(IPAddress.Parse(expected).GetAddressBytes(), address!.GetAddressBytes());
            Assert.Equal(expectedZone, zone);
            // Only a numeric zone is an interface index; a name is the caller's to look up on its host.
            Assert.Equal(scopeId, address.ScopeId);
        }

        [Theory]
        // inet_aton shorthand: fewer parts, hex, octal, a bare number.
        [InlineData("1.2.3")]             // 1.2.0.3 to inet_aton
        [InlineData("127.1")]             // 127.0.0.1
        [InlineData("10")]
        [InlineData("443")]               // 0.0.1.187
        [InlineData("0x7f000001")]
        [InlineData("0x7f.0.0.1")]
        [InlineData("010.1.1.1")]         // 8.1.1.1 to inet_aton, 10.1.1.1 to people
        [InlineData("1.2.3.04")]
        [InlineData("00.0.0.0")]
        [InlineData("1.2.3.4.5")]
        [InlineData("256.1.1.1")]
        [InlineData("1.2.3.256")]
        [InlineData("1.2.3.0255")]
        [InlineData("1..3.4")]
        [InlineData("1.2.3.")]
        [InlineData(".1.2.3")]
        [InlineData("+1.2.3.4")]
        [InlineData("1.2.3.-4")]
        [InlineData("１.２.３.４")]        // fullwidth digits, which char.IsDigit accepts
        [InlineData("1.2.3.4%eth0")]      // no zones in IPv4
        [InlineData("[1.2.3.4]")]         // brackets are for IPv6
        // IPv4 shorthand inside IPv6.
        [InlineData("::ffff:1.2.3")]
        [InlineData("::ffff:127.1")]
        [InlineData("::ffff:010.1.1.1")]
        [InlineData("::ffff:0x7f.0.0.1")]
        [InlineData("::1.2.3.256")]
        [InlineData("1.2.3.4::")]         // an IPv4 part only at the end
        // Not one address.
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("localhost")]
        [InlineData("1 .2.3.4")]
        [InlineData("1.2.3.4\n")]         // only spaces and tabs are trimmed
        [InlineData("1.2.3.4:80")]
        [InlineData("[::1]:80")]          // IPAddress.TryParse drops the port
        [InlineData("::1/64")]            // a prefix is AddressPrefix's to read
        [InlineData("[::1")]
        [InlineData("::1]")]
        [InlineData("[[::1]]")]
        [InlineData("1::2::3")]
        [InlineData("12345::")]
        [InlineData("g::1")]
        [InlineData(":: 1")]
        // Zones: empty, odd characters, too long, beyond uint32, or where a zone means nothing.
        [InlineData("fe80::1%")]
        [InlineData("fe80::1%eth0%1")]
        [InlineData("fe80::1%eth 0")]
        [InlineData("fe80::1%eth0/64")]
        [InlineData("fe80::1%a234567890123456")]
        [InlineData("fe80::1%4294967296")]
        [InlineData("fe80::1%-1")]
        [InlineData("2001:db8::1%eth0")]  // global scope
        [InlineData("::1%lo")]
        [InlineData("::ffff:1.2.3.4%1")]
        [InlineData("ff05::2%eth0")]      // site-local multicast
        public void RefusesEverythingElse(string text)
        {
            Assert.False(AddressText.TryParse(text, out IPAddress? address, out string? zone));
            Assert.Null(address);
            Assert.Null(zone);
        }

        [Fact]
        public void RefusesNull() => Assert.False(AddressText.TryParse(null, out _));
    }
}
