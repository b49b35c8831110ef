using System.Net;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform;
using PortTools.Query;
using Xunit;

namespace PortTools.Tests
{
    public class QueryTests
    {
        private static SocketEntry Tcp(string local, int localPort, string remote, int remotePort, TcpState state) =>
            new SocketEntry(TransportProtocol.Tcp, IPAddress.Parse(local).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IPVersion.IPv4 : IPVersion.IPv6,
                state, IPAddress.Parse(local), localPort, IPAddress.Parse(remote), remotePort);

        [Theory]
        [InlineData("10.0.0.0/8", "10.1.2.3", true)]
        [InlineData("10.0.0.0/8", "11.0.0.1", false)]
        [InlineData("192.168.1.128/25", "192.168.1.200", true)]
        [InlineData("192.168.1.128/25", "192.168.1.100", false)]
        [InlineData("127.0.0.1", "127.0.0.1", true)]
        [InlineData("127.0.0.0/8", "::ffff:127.0.0.5", true)]
        [InlineData("fe80::/10", "fe80::1", true)]
        [InlineData("fe80::/10", "2001:db8::1", false)]
        [InlineData("::1", "127.0.0.1", false)]
        [InlineData("0.0.0.0/0", "8.8.8.8", true)]
        [InlineData("[::1]", "::1", true)]
        [InlineData("[fe80::]/10", "fe80::1", true)]
        [InlineData("fe80::%eth0/64", "fe80::1", true)]     // the zone does not narrow the match
        [InlineData("10.0.0.0/008", "10.1.2.3", true)]      // decimal digits; a leading zero is no octal here
        [InlineData(" 192.168.0.0/16\t", "192.168.7.7", true)]
        public void PrefixesMatchBitByBit(string prefix, string address, bool expected)
        {
            Assert.True(AddressPrefix.TryParse(prefix, out AddressPrefix? parsed));
            Assert.Equal(expected, parsed!.Contains(IPAddress.Parse(address)));
        }

        [Theory]
        [InlineData("")]
        [InlineData("10.0.0.0/33")]
        [InlineData("::/129")]
        [InlineData("10.0.0.0/-1")]
        [InlineData("999.1.1.1")]
        [InlineData("localhost")]
        [InlineData("10.0.0.0/x")]
        [InlineData("10.0.0.0/")]
        [InlineData("/8")]
        [InlineData("10.0.0.0/ 8")]          // int.TryParse took these
        [InlineData("10.0.0.0/+8")]
        [InlineData("10.0.0.0 /8")]
        [InlineData("10.0.0.0/8/8")]
        [InlineData("10.0.0.0/0008")]
        [InlineData("10.0.0.0/٨")]          // Arabic-Indic eight
        [InlineData("::/0x10")]
        [InlineData("[::1/128]")]
        [InlineData("10/8")]                 // inet_aton shorthand, here as everywhere
        [InlineData("1.2.3/24")]
        [InlineData("127.1")]
        [InlineData("0x7f000001")]
        [InlineData("443")]
        [InlineData("::ffff:1.2.3/120")]
        public void BadPrefixesAreRefused(string text) => Assert.False(AddressPrefix.TryParse(text, out _));

        [Fact]
        public void FiltersCombineWithAndValuesWithOr()
        {
            var query = new ConnectionQuery();
            query.LocalPorts.Add(80);
            query.LocalPorts.Add(443);
            query.States.Add(TcpState.Established);
            Assert.True(query.MatchesSocket(Tcp("10.0.0.1", 443, "10.0.0.2", 50000, TcpState.Established)));
            Assert.True(query.MatchesSocket(Tcp("10.0.0.1", 80, "10.0.0.2", 50000, TcpState.Established)));
            Assert.False(query.MatchesSocket(Tcp("10.0.0.1", 443, "0.0.0.0", 0, TcpState.Listen)));
            Assert.False(query.MatchesSocket(Tcp("10.0.0.1", 22, "10.0.0.2", 50000, TcpState.Established)));
        }

        [Fact]
        public void AStateFilterLeavesOutUdp()
        {
            var query = new ConnectionQuery();
            Assert.True(query.Includes(TransportProtocol.Udp));
            query.States.Add(TcpState.Listen);
            Assert.False(query.Includes(TransportProtocol.Udp));
            Assert.True(query.Includes(TransportProtocol.Tcp));
        }

        [Fact]
        public void AnUnknownOwnerMatchesNoProcessFilter()
        {
            var query = new ConnectionQuery();
            Assert.True(query.MatchesOwner(null, null));
            query.ProcessNameMatches = name => name == "nginx";
            Assert.False(query.MatchesOwner(null, null));
            Assert.True(query.MatchesOwner(12, "nginx"));
            query.ProcessIds.Add(13);
            Assert.False(query.MatchesOwner(12, "nginx"));
        }

        [Theory]
        [InlineData("socket:[1010593]", true, 1010593ul)]
        [InlineData("pipe:[1010593]", false, 0ul)]
        [InlineData("socket:[]", false, 0ul)]
        [InlineData("socket:[12a]", false, 0ul)]
        [InlineData("/dev/null", false, 0ul)]
        public void DescriptorLinksNameSocketInodes(string link, bool isSocket, ulong inode)
        {
            byte[] bytes = System.Text.Encoding.ASCII.GetBytes(link);
            Assert.Equal(isSocket, SocketLink.TryParseInode(bytes, bytes.Length, out ulong parsed));
            Assert.Equal(inode, parsed);
            Assert.False(SocketLink.TryParseInode(bytes, -1, out _)); // readlink failed
        }

        [Fact]
        public void PasswdMapsUidsToNames()
        {
            var names = PasswdFile.Parse(new System.IO.StringReader("root:x:0:0:root:/root:/bin/bash\nbroken\nnobody:x:65534:65534::/:/sbin/nologin\n"));
            Assert.Equal("root", names[0]);
            Assert.Equal("nobody", names[65534]);
            Assert.Equal(2, names.Count);
        }
    }
}
