// Opens N TCP connections on loopback and holds them until its standard input closes.
// Used by Measure-PortConnection.ps1 only: 127.0.0.1 listeners, 127.0.0.1 clients, nothing else.
using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

public static class ConnectionHolder
{
    public static void Run(int count)
    {
        // One listener per 10,000 connections: each (client port, server port) pair must be unique and the
        // ephemeral range holds about 28,000 ports.
        var listeners = new List<Socket>();
        var held = new List<Socket>(count * 2);
        int perListener = 10000;
        for (int i = 0; i * perListener < count; i++)
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1024);
            listeners.Add(listener);
        }
        for (int i = 0; i < count; i++)
        {
            Socket listener = listeners[i / perListener];
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            // Reset on close instead of leaving 100,000 sockets in TIME_WAIT behind the benchmark.
            client.LingerState = new LingerOption(true, 0);
            client.Connect(listener.LocalEndPoint);
            held.Add(client);
            held.Add(listener.Accept());
        }
        Console.WriteLine("READY " + count);
        Console.Out.Flush();
        Console.In.ReadToEnd();
        foreach (Socket socket in held) socket.Close();
        foreach (Socket listener in listeners) listener.Close();
    }
}
