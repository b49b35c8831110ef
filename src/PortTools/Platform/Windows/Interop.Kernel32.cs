using System;
using System.Runtime.InteropServices;
using System.Text;

namespace PortTools.Platform.Windows
{
    /// <summary>The executable path of a process, as netstat -b and Task Manager's "Image path name" show it.</summary>
    internal static class Kernel32
    {
        private const string Library = "kernel32.dll";

        // PROCESS_QUERY_LIMITED_INFORMATION (Vista and later): granted to an unelevated caller for most processes
        // of any user, unlike PROCESS_QUERY_INFORMATION; protected and some system processes still refuse it.
        // https://learn.microsoft.com/windows/win32/procthread/process-security-and-access-rights
        private const uint PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;

        [DllImport(Library, ExactSpelling = true, SetLastError = true)]
        private static extern IntPtr OpenProcess(uint desiredAccess, bool inheritHandle, uint processId);

        /// <summary>
        /// BOOL QueryFullProcessImageNameW(HANDLE, DWORD dwFlags (0: Win32 path), LPWSTR lpExeName, PDWORD lpdwSize):
        /// https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-queryfullprocessimagenamew
        /// </summary>
        [DllImport(Library, ExactSpelling = true, SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern bool QueryFullProcessImageNameW(IntPtr process, uint flags, StringBuilder exeName, ref uint size);

        [DllImport(Library, ExactSpelling = true)]
        private static extern bool CloseHandle(IntPtr handle);

        /// <summary>The process's executable ("C:\Windows\System32\svchost.exe"), or null when it cannot be read.</summary>
        internal static string? ProcessImagePath(int processId)
        {
            IntPtr process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, false, (uint)processId);
            if (process == IntPtr.Zero) return null; // gone, or access denied (protected processes)
            try
            {
                // 32767 characters: the longest \\?\ path Windows has.
                var name = new StringBuilder(32767);
                uint size = (uint)name.Capacity;
                return QueryFullProcessImageNameW(process, 0, name, ref size) ? name.ToString(0, (int)size) : null;
            }
            finally
            {
                CloseHandle(process);
            }
        }
    }
}
