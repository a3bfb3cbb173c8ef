package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// The Windows build is linked with -H=windowsgui so that double-clicking it opens
// the window without a black console beside it. Such a program starts with no
// console: run from cmd.exe or PowerShell, its headless commands would print
// nothing. So it attaches to the console of the shell that started it, if any, and
// writes there. Output redirected to a file or pipe keeps its handle untouched.
func init() {
	// x/sys/windows has no AttachConsole; kernel32 has had it since Windows XP.
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if attach.Find() != nil {
		return
	}
	const attachParentProcess = uintptr(^uint32(0)) // ATTACH_PARENT_PROCESS, (DWORD)-1
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started from Explorer: no console, and none is needed
	}
	reopen := func(std uint32, name string, flag int, f **os.File) {
		if h, err := windows.GetStdHandle(std); err == nil && h != 0 && h != windows.InvalidHandle {
			if t, err := windows.GetFileType(h); err == nil && t != windows.FILE_TYPE_UNKNOWN {
				return // already a file, pipe or console: keep it
			}
		}
		c, err := os.OpenFile(name, flag, 0)
		if err != nil {
			return
		}
		*f = c
		_ = windows.SetStdHandle(std, windows.Handle(c.Fd()))
	}
	reopen(windows.STD_OUTPUT_HANDLE, "CONOUT$", os.O_WRONLY, &os.Stdout)
	reopen(windows.STD_ERROR_HANDLE, "CONOUT$", os.O_WRONLY, &os.Stderr)
	reopen(windows.STD_INPUT_HANDLE, "CONIN$", os.O_RDONLY, &os.Stdin)
}
