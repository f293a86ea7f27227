// Raises the calling thread to audio priority, the way Android's audio threads run
// (THREAD_PRIORITY_URGENT_AUDIO is nice -19). For the processing thread, which is not the
// device's real-time callback but must keep up with it. Best effort: returns whether it worked
// (a process without the right to lower its nice value keeps the old priority; on Android an app
// may be refused and can use Process.setThreadPriority(THREAD_PRIORITY_AUDIO) from Java).
#pragma once

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace denoise {

constexpr int kAudioNice = -19;

inline bool requestAudioPriority() noexcept {
    // On Linux and Android, PRIO_PROCESS with a thread id sets that thread's nice value.
    const auto tid = static_cast<id_t>(syscall(SYS_gettid));
    return setpriority(PRIO_PROCESS, tid, kAudioNice) == 0;
}

}  // namespace denoise
