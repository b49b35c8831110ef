using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using System.Threading;
using System;
using PortTools.Models;

namespace PortTools.Tests
{
    /// <summary>
    /// Established TCP connections on 127.0.0.1 that stay open until disposed: both ends of each are sockets of
    /// this process, so a listing must show every one of them with this process as owner.
    /// </summary>
    internal sealed class HeldLoopbackConnections : IDisposable
    {
        private readonly Socket _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly List<Socket> _sockets = new List<Socket>();

        internal HeldLoopbackConnections(int count)
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(count);
            for (int i = 0; i < count; i++)
            {
                // Reset on close: no TIME_WAIT left behind for the next test to list.
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { LingerState = new LingerOption(true, 0) };
                client.Connect(_listener.LocalEndPoint!);
                _sockets.Add(client);
                _sockets.Add(_listener.Accept());
            }
        }

        /// <summary>"local>remote" of every held socket (both ends of each connection), as <see cref="KeyOf"/> writes a listed one.</summary>
        internal IEnumerable<string> Keys
        {
            get
            {
                foreach (Socket socket in _sockets)
                {
                    var local = (IPEndPoint)socket.LocalEndPoint!;
                    var remote = (IPEndPoint)socket.RemoteEndPoint!;
                    yield return $"{local.Address}:{local.Port}>{remote.Address}:{remote.Port}";
                }
            }
        }

        internal static string KeyOf(PortConnection c) => $"{c.LocalAddress}:{c.LocalPort}>{c.RemoteAddress}:{c.RemotePort}";

        public void Dispose()
        {
            foreach (Socket socket in _sockets) socket.Dispose();
            _listener.Dispose();
        }
    }

    /// <summary>
    /// Load for the listings to run under: one thread connects to a 127.0.0.1 listener, accepts and closes both
    /// ends, over and over, until disposed or until its bounds (count, time) are reached. The client resets on
    /// close (linger 0), so no TIME_WAIT piles up and the ephemeral ports never run out.
    /// </summary>
    internal sealed class LoopbackChurn : IDisposable
    {
        private readonly Socket _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly Thread _thread;
        private readonly long _maxConnections;
        private readonly TimeSpan _maxTime;
        private readonly Stopwatch _clock = new Stopwatch();
        private volatile bool _stop;
        private long _connections;
        private Exception? _failure;

        internal LoopbackChurn(long maxConnections, TimeSpan maxTime)
        {
            _maxConnections = maxConnections;
            _maxTime = maxTime;
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(64);
            _thread = new Thread(Run) { IsBackground = true, Name = "LoopbackChurn" };
            _clock.Start();
            _thread.Start();
        }

        /// <summary>Connections opened and closed so far.</summary>
        internal long Connections => Interlocked.Read(ref _connections);

        /// <summary>Connections per second since the churn started, up to now or to the moment it stopped.</summary>
        internal double Rate => Connections / _clock.Elapsed.TotalSeconds;

        private void Run()
        {
            try
            {
                while (!_stop && Connections < _maxConnections && _clock.Elapsed < _maxTime)
                {
                    using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    client.LingerState = new LingerOption(true, 0);
                    client.Connect(_listener.LocalEndPoint!);
                    using Socket server = _listener.Accept();
                    client.Close();
                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception e)
            {
                _failure = e; // said by Dispose: a churn that died early would make the test prove nothing
            }
            finally
            {
                _clock.Stop();
            }
        }

        /// <summary>Stops the churn and waits for it; throws what stopped it early, if anything did.</summary>
        public void Dispose()
        {
            _stop = true;
            _thread.Join();
            _listener.Dispose();
            if (_failure != null) throw new InvalidOperationException("The churn thread failed.", _failure);
        }
    }
}
