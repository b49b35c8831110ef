using System;
using System.Collections.Generic;
using PortTools.Models;

namespace PortTools.Platform.MacOS
{
    /// <summary>
    /// The six statistics structs netstat -s reads, field by field as xnu-11417 declares them (docs/dev/platform-layouts.md,
    /// macOS "Statistics"), and how the MIB counters are derived from them, as net-snmp's BSD agent derives them.
    /// TCP and UDP keep one struct for both families, so their statistics have no address family (as Linux TCP).
    /// </summary>
    internal static class MacStatistics
    {
        private const int U32 = 4, U64 = 8;

        /// <summary>bsd/netinet/ip_var.h struct ipstat: 184 bytes in xnu-8019, 196 since xnu-11215 (three fields appended).</summary>
        internal static readonly StatStruct Ip = new StatStruct("net.inet.ip.stats", "ipstat", NetworkProtocol.Ip, IPVersion.IPv4, 184,
            new[]
            {
                new StatFields(U32, @"ips_total ips_badsum ips_tooshort ips_toosmall ips_badhlen ips_badlen ips_fragments ips_fragdropped
                    ips_fragtimeout ips_forward ips_fastforward ips_cantforward ips_redirectsent ips_noproto ips_delivered ips_localout
                    ips_odropped ips_reassembled ips_fragmented ips_ofragments ips_cantfrag ips_badoptions ips_noroute ips_badvers ips_rawout
                    ips_toolong ips_notmember ips_nogif ips_badaddr ips_pktdropcntrl ips_rcv_swcsum ips_rcv_swcsum_bytes ips_snd_swcsum
                    ips_snd_swcsum_bytes ips_adj ips_adj_hwcsum_clr ips_rxc_collisions ips_rxc_chained ips_rxc_notchain ips_rxc_chainsz_gt2
                    ips_rxc_chainsz_gt4 ips_rxc_notlist ips_raw_sappend_fail ips_necp_policy_drop ips_rcv_if_weak_match ips_rcv_if_no_match
                    ips_input_ipf_drop ips_input_no_proto ips_src_addr_not_avail"),
            },
            IpMib("ips_", "ips_noproto", "ips_badsum", "ips_badhlen", "ips_badlen", "ips_tooshort", "ips_toosmall", "ips_badoptions", "ips_badvers"));

        /// <summary>bsd/netinet6/ip6_var.h struct ip6stat (u_quad_t counters; SCOPE6_ID_MAX and IP6S_SRCRULE_COUNT are 16): 3592 bytes.</summary>
        internal static readonly StatStruct Ip6 = new StatStruct("net.inet6.ip6.stats", "ip6stat", NetworkProtocol.Ip, IPVersion.IPv6, 3592,
            new[]
            {
                new StatFields(U64, @"ip6s_total ip6s_tooshort ip6s_toosmall ip6s_fragments ip6s_fragdropped ip6s_fragtimeout ip6s_fragoverflow
                    ip6s_forward ip6s_cantforward ip6s_redirectsent ip6s_delivered ip6s_localout ip6s_odropped ip6s_reassembled ip6s_atmfrag_rcvd
                    ip6s_fragmented ip6s_ofragments ip6s_cantfrag ip6s_badoptions ip6s_noroute ip6s_badvers ip6s_rawout ip6s_badscope
                    ip6s_notmember ip6s_nxthist[256] ip6s_m1 ip6s_m2m[32] ip6s_mext1 ip6s_mext2m ip6s_exthdrtoolong ip6s_nogif ip6s_toomanyhdr
                    ip6s_sources_none ip6s_sources_sameif[16] ip6s_sources_otherif[16] ip6s_sources_samescope[16] ip6s_sources_otherscope[16]
                    ip6s_sources_deprecated[16] ip6s_forward_cachehit ip6s_forward_cachemiss ip6s_sources_rule[16]
                    ip6s_sources_skip_expensive_secondary_if ip6s_pktdropcntrl ip6s_adj ip6s_adj_hwcsum_clr ip6s_dad_collide ip6s_dad_loopcount
                    ip6s_necp_policy_drop ip6s_clat464_in_tooshort_drop ip6s_clat464_in_nov6addr_drop ip6s_clat464_in_nov4addr_drop
                    ip6s_clat464_in_v4synthfail_drop ip6s_clat464_in_64transfail_drop ip6s_clat464_in_64proto_transfail_drop
                    ip6s_clat464_in_64frag_transfail_drop ip6s_clat464_in_invalpbuf_drop ip6s_clat464_in_success ip6s_clat464_in_drop
                    ip6s_clat464_in_v4_drop ip6s_clat464_out_nov6addr_drop ip6s_clat464_out_v6synthfail_drop ip6s_clat464_out_46transfail_drop
                    ip6s_clat464_out_46proto_transfail_drop ip6s_clat464_out_46frag_transfail_drop ip6s_clat464_out_invalpbuf_drop
                    ip6s_clat464_out_success ip6s_clat464_out_drop ip6s_clat464_v6addr_conffail ip6s_clat464_plat64_pfx_setfail
                    ip6s_clat464_plat64_pfx_getfail ip6s_overlap_frag_drop ip6s_rcv_if_weak_match ip6s_rcv_if_no_match"),
            },
            IpMib("ip6s_", null, "ip6s_tooshort", "ip6s_toosmall", "ip6s_badoptions", "ip6s_badvers", "ip6s_exthdrtoolong", "ip6s_toomanyhdr"));

        /// <summary>bsd/netinet/icmp_var.h struct icmpstat (ICMP_MAXTYPE 40): 368 bytes.</summary>
        internal static readonly StatStruct Icmp = new StatStruct("net.inet.icmp.stats", "icmpstat", NetworkProtocol.Icmp, IPVersion.IPv4, 368,
            new[]
            {
                new StatFields(U32, @"icps_error icps_oldshort icps_oldicmp icps_outhist[41] icps_badcode icps_tooshort icps_checksum icps_badlen
                    icps_reflect icps_inhist[41] icps_bmcastecho icps_bmcasttstamp"),
            },
            // ICMP types (RFC 792): destination unreachable 3, echo 8, echo reply 0.
            IcmpMib("icps_", 3, 8, 0, "icps_oldshort", "icps_oldicmp"));

        /// <summary>
        /// bsd/netinet/icmp6.h struct icmp6stat (u_quad_t), its struct icmp6errstat icp6s_outerrhist flattened under the
        /// header's own #define names: 4344 bytes.
        /// </summary>
        internal static readonly StatStruct Icmp6 = new StatStruct("net.inet6.icmp6.stats", "icmp6stat", NetworkProtocol.Icmp, IPVersion.IPv6, 4344,
            new[]
            {
                new StatFields(U64, @"icp6s_error icp6s_canterror icp6s_toofreq icp6s_outhist[256] icp6s_badcode icp6s_tooshort icp6s_checksum
                    icp6s_badlen icp6s_reflect icp6s_inhist[256] icp6s_nd_toomanyopt
                    icp6s_odst_unreach_noroute icp6s_odst_unreach_admin icp6s_odst_unreach_beyondscope icp6s_odst_unreach_addr
                    icp6s_odst_unreach_noport icp6s_opacket_too_big icp6s_otime_exceed_transit icp6s_otime_exceed_reassembly
                    icp6s_oparamprob_header icp6s_oparamprob_nextheader icp6s_oparamprob_option icp6s_oredirect icp6s_ounknown
                    icp6s_pmtuchg icp6s_nd_badopt icp6s_badns icp6s_badna icp6s_badrs icp6s_badra icp6s_badredirect icp6s_rfc6980_drop
                    icp6s_badpkttoobig"),
            },
            // ICMPv6 types (RFC 4443): destination unreachable 1, echo request 128, echo reply 129.
            IcmpMib("icp6s_", 1, 128, 129, "icp6s_canterror", "icp6s_toofreq"));

        /// <summary>bsd/netinet/udp_var.h struct udpstat: 88 bytes; IPv4 and IPv6 together.</summary>
        internal static readonly StatStruct Udp = new StatStruct("net.inet.udp.stats", "udpstat", NetworkProtocol.Udp, null, 88,
            new[]
            {
                new StatFields(U32, @"udps_ipackets udps_hdrops udps_badsum udps_badlen udps_noport udps_noportbcast udps_fullsock
                    udpps_pcbcachemiss udpps_pcbhashmiss udps_opackets udps_fastout udps_nosum udps_noportmcast udps_filtermcast udps_rcv_swcsum
                    udps_rcv_swcsum_bytes udps_rcv6_swcsum udps_rcv6_swcsum_bytes udps_snd_swcsum udps_snd_swcsum_bytes udps_snd6_swcsum
                    udps_snd6_swcsum_bytes"),
            },
            // "delivered", as netstat -s computes it (network_cmds netstat.tproj/inet.c udp_stats).
            ("InDatagrams", c => StatCounters.Wrap32(c["udps_ipackets"] - c["udps_hdrops"] - c["udps_badlen"] - c["udps_badsum"]
                - c["udps_noport"] - c["udps_noportbcast"] - c["udps_fullsock"])),
            ("OutDatagrams", c => c["udps_opackets"]),
            ("NoPorts", c => c["udps_noport"]),
            ("InErrors", c => c.Sum("udps_hdrops", "udps_badsum", "udps_badlen")),
            ("ReceiveBufferErrors", c => c["udps_fullsock"]));

        /// <summary>
        /// bsd/netinet/tcp_var.h struct tcpstat, IPv4 and IPv6 together: 960 bytes in xnu-8019 (macOS 12), 976 once xnu-8792
        /// inserted five AccECN counters, 992 once xnu-11215 inserted three RACK counters after tcps_sack_sboverflow.
        /// </summary>
        internal static readonly StatStruct Tcp = new StatStruct("net.inet.tcp.stats", "tcpstat", NetworkProtocol.Tcp, null, 960,
            new[]
            {
                new StatFields(U32, @"tcps_connattempt tcps_accepts tcps_connects tcps_drops tcps_conndrops tcps_closed tcps_segstimed
                    tcps_rttupdated tcps_delack tcps_timeoutdrop tcps_rexmttimeo tcps_persisttimeo tcps_keeptimeo tcps_keepprobe tcps_keepdrops
                    tcps_sndtotal tcps_sndpack tcps_sndbyte tcps_sndrexmitpack tcps_sndrexmitbyte tcps_sndacks tcps_sndprobe tcps_sndurg
                    tcps_sndwinup tcps_sndctrl tcps_rcvtotal tcps_rcvpack tcps_rcvbyte tcps_rcvbadsum tcps_rcvbadoff tcps_rcvmemdrop
                    tcps_rcvshort tcps_rcvduppack tcps_rcvdupbyte tcps_rcvpartduppack tcps_rcvpartdupbyte tcps_rcvoopack tcps_rcvoobyte
                    tcps_rcvpackafterwin tcps_rcvbyteafterwin tcps_rcvafterclose tcps_rcvwinprobe tcps_rcvdupack tcps_rcvacktoomuch
                    tcps_rcvackpack tcps_rcvackbyte tcps_rcvwinupd tcps_pawsdrop tcps_predack tcps_preddat tcps_pcbcachemiss tcps_cachedrtt
                    tcps_cachedrttvar tcps_cachedssthresh tcps_usedrtt tcps_usedrttvar tcps_usedssthresh tcps_persistdrop tcps_badsyn
                    tcps_mturesent tcps_listendrop tcps_synchallenge tcps_rstchallenge tcps_minmssdrops tcps_sndrexmitbad tcps_badrst
                    tcps_sc_added tcps_sc_retransmitted tcps_sc_dupsyn tcps_sc_dropped tcps_sc_completed tcps_sc_bucketoverflow
                    tcps_sc_cacheoverflow tcps_sc_reset tcps_sc_stale tcps_sc_aborted tcps_sc_badack tcps_sc_unreach tcps_sc_zonefail
                    tcps_sc_sendcookie tcps_sc_recvcookie tcps_hc_added tcps_hc_bucketoverflow tcps_sack_recovery_episode tcps_sack_rexmits
                    tcps_sack_rexmit_bytes tcps_sack_rcv_blocks tcps_sack_send_blocks tcps_sack_sboverflow"),
                new StatFields(U32, "tcps_rack_recovery_episode tcps_rack_reordering_timeout_recovery_episode tcps_rack_rexmits", since: 11215),
                new StatFields(U32, @"tcps_bg_rcvtotal tcps_rxtfindrop tcps_fcholdpacket tcps_limited_txt tcps_early_rexmt tcps_sack_ackadv
                    tcps_rcv_swcsum tcps_rcv_swcsum_bytes tcps_rcv6_swcsum tcps_rcv6_swcsum_bytes tcps_snd_swcsum tcps_snd_swcsum_bytes
                    tcps_snd6_swcsum tcps_snd6_swcsum_bytes tcps_unused_1 tcps_unused_2 tcps_unused_3 tcps_invalid_mpcap tcps_invalid_joins
                    tcps_mpcap_fallback tcps_join_fallback tcps_estab_fallback tcps_invalid_opt tcps_mp_outofwin tcps_mp_reducedwin
                    tcps_mp_badcsum tcps_mp_oodata tcps_mp_switches tcps_mp_rcvtotal tcps_mp_rcvbytes tcps_mp_sndpacks tcps_mp_sndbytes
                    tcps_join_rxmts tcps_tailloss_rto tcps_reordered_pkts tcps_recovered_pkts tcps_pto tcps_rto_after_pto tcps_tlp_recovery
                    tcps_tlp_recoverlastpkt tcps_ecn_client_success tcps_ecn_recv_ece tcps_ecn_sent_ece tcps_detect_reordering
                    tcps_delay_recovery tcps_avoid_rxmt tcps_unnecessary_rxmt tcps_nostretchack tcps_rescue_rxmt tcps_pto_in_recovery
                    tcps_pmtudbh_reverted tcps_dsack_disable tcps_dsack_ackloss tcps_dsack_badrexmt tcps_dsack_sent tcps_dsack_recvd
                    tcps_dsack_recvd_old tcps_mp_sel_symtomsd tcps_mp_sel_rtt tcps_mp_sel_rto tcps_mp_sel_peer tcps_mp_num_probes
                    tcps_mp_verdowngrade tcps_drop_after_sleep tcps_probe_if tcps_probe_if_conflict tcps_ecn_client_setup
                    tcps_ecn_server_setup tcps_ecn_server_success"),
                new StatFields(U32, "tcps_ecn_ace_syn_not_ect tcps_ecn_ace_syn_ect1 tcps_ecn_ace_syn_ect0 tcps_ecn_ace_syn_ce", since: 8792),
                new StatFields(U32, "tcps_ecn_lost_synack tcps_ecn_lost_syn tcps_ecn_not_supported tcps_ecn_recv_ce"),
                new StatFields(U32, "tcps_ecn_ace_recv_ce", since: 8792),
                new StatFields(U32, @"tcps_ecn_conn_recv_ce tcps_ecn_conn_recv_ece tcps_ecn_conn_plnoce tcps_ecn_conn_pl_ce tcps_ecn_conn_nopl_ce
                    tcps_ecn_fallback_synloss tcps_ecn_fallback_reorder tcps_ecn_fallback_ce tcps_tfo_syn_data_rcv tcps_tfo_cookie_req_rcv
                    tcps_tfo_cookie_sent tcps_tfo_cookie_invalid tcps_tfo_cookie_req tcps_tfo_cookie_rcv tcps_tfo_syn_data_sent
                    tcps_tfo_syn_data_acked tcps_tfo_syn_loss tcps_tfo_blackhole tcps_tfo_cookie_wrong tcps_tfo_no_cookie_rcv
                    tcps_tfo_heuristics_disable tcps_tfo_sndblackhole tcps_mss_to_default tcps_mss_to_medium tcps_mss_to_low
                    tcps_ecn_fallback_droprst tcps_ecn_fallback_droprxmt tcps_ecn_fallback_synrst tcps_mptcp_rcvmemdrop tcps_mptcp_rcvduppack
                    tcps_mptcp_rcvpackafterwin tcps_timer_drift_le_1_ms tcps_timer_drift_le_10_ms tcps_timer_drift_le_20_ms
                    tcps_timer_drift_le_50_ms tcps_timer_drift_le_100_ms tcps_timer_drift_le_200_ms tcps_timer_drift_le_500_ms
                    tcps_timer_drift_le_1000_ms tcps_timer_drift_gt_1000_ms tcps_mptcp_handover_attempt tcps_mptcp_interactive_attempt
                    tcps_mptcp_aggregate_attempt tcps_mptcp_fp_handover_attempt tcps_mptcp_fp_interactive_attempt
                    tcps_mptcp_fp_aggregate_attempt tcps_mptcp_heuristic_fallback tcps_mptcp_fp_heuristic_fallback
                    tcps_mptcp_handover_success_wifi tcps_mptcp_handover_success_cell tcps_mptcp_interactive_success
                    tcps_mptcp_aggregate_success tcps_mptcp_fp_handover_success_wifi tcps_mptcp_fp_handover_success_cell
                    tcps_mptcp_fp_interactive_success tcps_mptcp_fp_aggregate_success tcps_mptcp_handover_cell_from_wifi
                    tcps_mptcp_handover_wifi_from_cell tcps_mptcp_interactive_cell_from_wifi"),
                new StatFields(U64, @"tcps_mptcp_handover_cell_bytes tcps_mptcp_interactive_cell_bytes tcps_mptcp_aggregate_cell_bytes
                    tcps_mptcp_handover_all_bytes tcps_mptcp_interactive_all_bytes tcps_mptcp_aggregate_all_bytes"),
                new StatFields(U32, @"tcps_mptcp_back_to_wifi tcps_mptcp_wifi_proxy tcps_mptcp_cell_proxy tcps_ka_offload_drops
                    tcps_mptcp_triggered_cell tcps_fin_timeout_drops"),
            },
            ("ActiveOpens", c => c["tcps_connattempt"]),
            ("PassiveOpens", c => c["tcps_accepts"]),
            ("AttemptFails", c => c["tcps_conndrops"]),
            ("EstablishedResets", c => c["tcps_drops"]),
            ("InSegments", c => c["tcps_rcvtotal"]),
            // RFC 4022 tcpOutSegs leaves out retransmitted segments, as Linux OutSegs does.
            ("OutSegments", c => StatCounters.Wrap32(c["tcps_sndtotal"] - c["tcps_sndrexmitpack"])),
            ("SegmentsRetransmitted", c => c["tcps_sndrexmitpack"]),
            ("InErrors", c => c.Sum("tcps_rcvbadsum", "tcps_rcvbadoff", "tcps_rcvshort")));

        /// <summary>Every struct, in the order netstat -s prints them (IPv4, then IPv6).</summary>
        internal static readonly StatStruct[] All = { Ip, Icmp, Tcp, Udp, Ip6, Icmp6 };

        /// <summary>
        /// ipstat and ip6stat share the field names after their prefix; <paramref name="headerErrors"/> differ, and only
        /// ipstat counts unknown protocols.
        /// </summary>
        private static (string, Func<StatCounters, long>)[] IpMib(string p, string? unknownProtocols, params string[] headerErrors)
        {
            var mib = new List<(string, Func<StatCounters, long>)>
            {
                ("InReceives", c => c[p + "total"]),
                ("InHeaderErrors", c => c.Sum(headerErrors)),
                // A host that does not forward counts here the packets addressed to somebody else: RFC 4293's address errors.
                ("InAddressErrors", c => c[p + "cantforward"]),
                ("ForwardedDatagrams", c => c[p + "forward"]),
                ("InDelivers", c => c[p + "delivered"]),
                ("OutRequests", c => c[p + "localout"]),
                ("OutDiscards", c => c[p + "odropped"]),
                ("OutNoRoutes", c => c[p + "noroute"]),
                ("ReassemblyRequired", c => c[p + "fragments"]),
                ("ReassemblyOk", c => c[p + "reassembled"]),
                ("ReassemblyFailed", c => c.Sum(p + "fragdropped", p + "fragtimeout")),
                ("FragmentsOk", c => c[p + "fragmented"]),
                ("FragmentsFailed", c => c[p + "cantfrag"]),
                ("FragmentsCreated", c => c[p + "ofragments"]),
            };
            if (unknownProtocols != null) mib.Add(("InUnknownProtocols", c => c[unknownProtocols]));
            return mib.ToArray();
        }

        /// <summary>
        /// icmpstat and icmp6stat alike: the messages are the histogram plus the malformed ones, and the errors sent are
        /// the ones ICMP chose not to send (<paramref name="notSent1"/>, <paramref name="notSent2"/>).
        /// </summary>
        private static (string, Func<StatCounters, long>)[] IcmpMib(string p, int unreachable, int echo, int echoReply, string notSent1, string notSent2)
        {
            long InErrors(StatCounters c) => c.Sum(p + "badcode", p + "tooshort", p + "checksum", p + "badlen");
            long OutErrors(StatCounters c) => c.Sum(notSent1, notSent2);
            string In(int type) => p + "inhist[" + type + "]";
            string Out(int type) => p + "outhist[" + type + "]";
            return new (string, Func<StatCounters, long>)[]
            {
                ("InMessages", c => unchecked(c.SumOfArray(p + "inhist") + InErrors(c))),
                ("InErrors", InErrors),
                ("OutMessages", c => unchecked(c.SumOfArray(p + "outhist") + OutErrors(c))),
                ("OutErrors", OutErrors),
                ("InDestinationUnreachable", c => c[In(unreachable)]),
                ("OutDestinationUnreachable", c => c[Out(unreachable)]),
                ("InEchos", c => c[In(echo)]),
                ("OutEchos", c => c[Out(echo)]),
                ("InEchoReplies", c => c[In(echoReply)]),
                ("OutEchoReplies", c => c[Out(echoReply)]),
            };
        }
    }
}
