using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.NetworkInformation;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Platform.MacOS;
using Xunit;
using B = PortTools.Tests.MacRouteMessageBuilder;

namespace PortTools.Tests
{
    /// <summary>
    /// The NET_RT_IFLIST2 decoder over the hand-written golden list and over streams from <see cref="MacRouteMessageBuilder"/>
    /// (docs/dev/platform-layouts.md, "Interfaces: NET_RT_IFLIST2"), and the source that reads it.
    /// </summary>
    public class MacInterfaceDecoderTests
    {
        private static List<InterfaceStatistic> Decode(byte[] list) => InterfaceListDecoder.Decode(list, list.Length);

        [Fact]
        public void DecodesTheGoldenInterface()
        {
            byte[] list = Fixtures.MacHex("iflist-golden.hex");
            Assert.Equal(216, list.Length);
            InterfaceStatistic en0 = Assert.Single(Decode(list));
            Assert.Equal(("en0", 4, 1500, OperationalStatus.Up), (en0.Name, en0.InterfaceIndex, en0.Mtu, en0.State));
            Assert.Equal(1048576ul, en0.ReceivedBytes);
            Assert.Equal(1000ul, en0.ReceivedPackets);
            Assert.Equal(970ul, en0.ReceivedUnicastPackets);
            Assert.Equal(30ul, en0.ReceivedNonUnicastPackets);
            Assert.Equal(3ul, en0.ReceivedDiscardedPackets);
            Assert.Equal(2ul, en0.ReceivedPacketErrors);
            Assert.Equal(5ul, en0.ReceivedUnknownProtocols);
            Assert.Equal(524288ul, en0.SentBytes);
            Assert.Equal(800ul, en0.SentPackets);
            Assert.Equal(788ul, en0.SentUnicastPackets);
            Assert.Equal(12ul, en0.SentNonUnicastPackets);
            Assert.Equal(7ul, en0.SentDiscardedPackets);
            Assert.Equal(1ul, en0.SentPacketErrors);
            Assert.Equal(new Dictionary<string, ulong>
            {
                ["ipackets"] = 1000, ["ierrors"] = 2, ["opackets"] = 800, ["oerrors"] = 1, ["collisions"] = 0, ["ibytes"] = 1048576,
                ["obytes"] = 524288, ["imcasts"] = 30, ["omcasts"] = 12, ["iqdrops"] = 3, ["noproto"] = 5, ["snd_drops"] = 7,
            }, en0.Counters.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value));
        }

        [Fact]
        public void GoldenListCutAnywhereButBetweenMessagesIsRejected()
        {
            byte[] list = Fixtures.MacHex("iflist-golden.hex");
            for (int length = 0; length <= list.Length; length++)
            {
                if (length == 0 || length == 180 || length == list.Length)
                    Assert.Equal(length == 0 ? 0 : 1, InterfaceListDecoder.Decode(list, length).Count);
                else
                    Assert.Throws<InvalidDataException>(() => InterfaceListDecoder.Decode(list, length));
            }
        }

        [Fact]
        public void EveryCounterIsReadFromItsOwnField()
        {
            // Distinct values, so a counter read from its neighbour's offset shows.
            var i = new MacInterface
            {
                IPackets = 101, IErrors = 102, OPackets = 103, OErrors = 104, Collisions = 105, IBytes = 106, OBytes = 107,
                IMcasts = 108, OMcasts = 109, IqDrops = 110, NoProto = 111, SendDrops = 112, Mtu = 9000,
            };
            InterfaceStatistic s = Assert.Single(Decode(new B().Interface(i).Build()));
            Assert.Equal(new ulong?[] { 106, 101, 108, 110, 102, 111, 107, 103, 109, 112, 104 }, new[]
            {
                s.ReceivedBytes, s.ReceivedPackets, s.ReceivedNonUnicastPackets, s.ReceivedDiscardedPackets, s.ReceivedPacketErrors,
                s.ReceivedUnknownProtocols, s.SentBytes, s.SentPackets, s.SentNonUnicastPackets, s.SentDiscardedPackets, s.SentPacketErrors,
            });
            Assert.Equal(105ul, s.Counters["collisions"]);
            Assert.Equal(9000, s.Mtu);
            // More multicast than packets (counters read at different moments): no unicast, never a wrapped count.
            Assert.Equal((0ul, 0ul), (s.ReceivedUnicastPackets, s.SentUnicastPackets));
        }

        [Fact]
        public void NamesComeFromTheSockaddrDl()
        {
            List<InterfaceStatistic> interfaces = Decode(new B()
                .Interface(new MacInterface { Index = 1, Name = "lo0", Flags = 0x8049 })
                .Interface(new MacInterface { Index = 4, Name = "en0" })
                .Interface(new MacInterface { Index = 17, Name = "bridge100" })
                .Interface(new MacInterface { Index = 23, Name = "utun12345" }, B.Link(23, "utun12345")) // no hardware address
                .Build());
            Assert.Equal(new[] { ("lo0", 1), ("en0", 4), ("bridge100", 17), ("utun12345", 23) }, interfaces.Select(i => (i.Name, i.InterfaceIndex)));
        }

        [Theory]
        [InlineData(0x8843, OperationalStatus.Up)]    // UP BROADCAST RUNNING SIMPLEX MULTICAST
        [InlineData(0x8842, OperationalStatus.Down)]  // administratively down
        [InlineData(0x8803, OperationalStatus.Down)]  // up, but the driver is not running
        public void StateIsUpWhenUpAndRunning(int flags, OperationalStatus state)
        {
            Assert.Equal(state, Assert.Single(Decode(new B().Interface(new MacInterface { Flags = flags }).Build())).State);
        }

        [Fact]
        public void OtherMessagesAreSteppedOver()
        {
            List<InterfaceStatistic> interfaces = Decode(new B()
                .Interface(new MacInterface { Index = 1, Name = "lo0" })
                .Address(1, B.In4("127.0.0.1"))
                .Address(1, B.In6("::1"))
                .Route(4, 0x3, B.In4("0.0.0.0"), B.In4("192.0.2.1")) // an RTM_GET2 in the wrong stream
                .Raw(new byte[] { 8, 0, 5, 0x0e, 0, 0, 0, 0 })       // an RTM_IFINFO, the older header
                .Interface(new MacInterface { Index = 4, Name = "en0" })
                .Address(4, B.In4("192.0.2.10"))
                .Build());
            Assert.Equal(new[] { "lo0", "en0" }, interfaces.Select(i => i.Name));
        }

        [Fact]
        public void EmptyListHasNoInterfaces()
        {
            Assert.Empty(Decode(new byte[0]));
            Assert.Empty(InterfaceListDecoder.Decode(new byte[512], 0));
        }

        [Fact]
        public void MalformedMessagesAreRejected()
        {
            byte[] good = new B().Interface(new MacInterface()).Build();
            // An RTM_IFINFO2 shorter than if_msghdr2
            Assert.Throws<InvalidDataException>(() => Decode(new byte[] { 8, 0, 5, 0x12, 0, 0, 0, 0 }));
            // ifm_msglen beyond the bytes read
            byte[] longer = (byte[])good.Clone();
            longer[0] += 4;
            Assert.Throws<InvalidDataException>(() => Decode(longer));
            // No RTA_IFP: no name
            byte[] nameless = (byte[])good.Clone();
            nameless[4] = 0;
            Assert.Contains("no sockaddr_dl", Assert.Throws<InvalidDataException>(() => Decode(nameless)).Message);
            // An IFP sockaddr that is not AF_LINK
            Assert.Throws<InvalidDataException>(() => Decode(new B().Interface(new MacInterface(), B.In4("192.0.2.10")).Build()));
            // sdl_nlen longer than sdl_len allows
            byte[] link = B.Link(4, "en0");
            link[5] = 13;
            Assert.Throws<InvalidDataException>(() => Decode(new B().Interface(new MacInterface(), link).Build()));
            // sdl_len too short to hold sdl_nlen at all
            Assert.Throws<InvalidDataException>(() => Decode(new B().Interface(new MacInterface(), new byte[] { 4, 18, 4, 0 }).Build()));
        }

        [Fact]
        public void SourceReadsIfList2()
        {
            var read = new List<int[]>();
            byte[] list = Fixtures.MacHex("iflist-golden.hex");
            var source = new MacInterfaceStatisticSource(mib =>
            {
                read.Add(mib);
                var buffer = new byte[list.Length + 64]; // the kernel fills less than the buffer
                Buffer.BlockCopy(list, 0, buffer, 0, list.Length);
                return (buffer, list.Length);
            });
            IReadOnlyList<InterfaceStatistic> statistics = source.GetStatistics(ListingDiagnostics.Silent);
            Assert.Equal(new[] { 4, 17, 0, 0, 6, 0 }, Assert.Single(read));
            Assert.Equal("en0", Assert.Single(statistics).Name);
        }
    }
}
