using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// The services each process hosts, from the Service Control Manager (what tasklist /svc shows). Only I/O: the
    /// buffer is copied out and decoded by <see cref="ServiceStatusProcessDecoder"/>.
    /// </summary>
    internal static class AdvApi32
    {
        private const string Library = "advapi32.dll";

        // Granted to every authenticated user by the SCM's default security: no elevation.
        // https://learn.microsoft.com/windows/win32/services/service-security-and-access-rights
        private const uint SC_MANAGER_ENUMERATE_SERVICE = 0x0004;
        private const int SC_ENUM_PROCESS_INFO = 0;
        private const uint SERVICE_WIN32 = 0x30; // SERVICE_WIN32_OWN_PROCESS | SERVICE_WIN32_SHARE_PROCESS
        private const uint SERVICE_ACTIVE = 0x1;
        private const int ERROR_MORE_DATA = 234;

        // The SCM returns at most 256 KB per call (EnumServicesStatusExW's documentation); a first buffer of 64 KB
        // holds a usual Windows' few hundred services, and the resume handle fetches the rest.
        private const int FirstBufferSize = 64 * 1024;
        private const int MaxCalls = 64;

        [DllImport(Library, ExactSpelling = true, SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern IntPtr OpenSCManagerW(string? machineName, string? databaseName, uint desiredAccess);

        /// <summary>
        /// BOOL EnumServicesStatusExW(SC_HANDLE, SC_ENUM_TYPE, DWORD dwServiceType, DWORD dwServiceState, LPBYTE lpServices,
        /// DWORD cbBufSize, LPDWORD pcbBytesNeeded, LPDWORD lpServicesReturned, LPDWORD lpResumeHandle, LPCWSTR pszGroupName):
        /// https://learn.microsoft.com/windows/win32/api/winsvc/nf-winsvc-enumservicesstatusexw
        /// </summary>
        [DllImport(Library, ExactSpelling = true, SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern bool EnumServicesStatusExW(IntPtr scManager, int infoLevel, uint serviceType, uint serviceState,
            IntPtr services, uint bufferSize, out uint bytesNeeded, out uint servicesReturned, ref uint resumeHandle, string? groupName);

        [DllImport(Library, ExactSpelling = true)]
        private static extern bool CloseServiceHandle(IntPtr handle);

        /// <summary>Every running Win32 service with the pid of its process.</summary>
        internal static List<(string Name, int ProcessId)> RunningServices()
        {
            IntPtr manager = OpenSCManagerW(null, null, SC_MANAGER_ENUMERATE_SERVICE);
            if (manager == IntPtr.Zero) throw new Win32Exception(Marshal.GetLastWin32Error());
            try
            {
                var services = new List<(string, int)>();
                uint resume = 0;
                int size = FirstBufferSize;
                for (int call = 0; call < MaxCalls; call++)
                {
                    IntPtr buffer = Marshal.AllocHGlobal(size);
                    try
                    {
                        bool done = EnumServicesStatusExW(manager, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE,
                            buffer, (uint)size, out uint needed, out uint returned, ref resume, null);
                        int error = done ? 0 : Marshal.GetLastWin32Error();
                        if (!done && error != ERROR_MORE_DATA) throw new Win32Exception(error);
                        var copy = new byte[size];
                        Marshal.Copy(buffer, copy, 0, size);
                        // Unsigned, as the records' pointers are read: a 32-bit address above 2 GB must not sign-extend.
                        ulong address = IntPtr.Size == 8 ? (ulong)buffer.ToInt64() : (uint)buffer.ToInt32();
                        services.AddRange(ServiceStatusProcessDecoder.Decode(copy, size, address, (int)returned, IntPtr.Size));
                        if (done) return services;
                        // Nothing fitted: the next service needs a larger buffer.
                        if (returned == 0) size = Math.Max(size * 2, (int)Math.Min(needed, int.MaxValue / 2));
                    }
                    finally
                    {
                        Marshal.FreeHGlobal(buffer);
                    }
                }
                throw new Win32Exception(ERROR_MORE_DATA, "The list of services kept growing while it was read.");
            }
            finally
            {
                CloseServiceHandle(manager);
            }
        }
    }
}
