// Wakes the Java processing thread when the callback has published input, without the callback
// ever taking a lock: post() is an atomic exchange plus, only when the consumer is asleep, a
// sem_post (an atomic increment and a futex wake on Linux and Android; it never blocks and never
// allocates). The consumer is the only thread that waits.
//
// No lost wake-up: every write of sleeping_ is a read-modify-write, so the exchanges of both
// threads form one release sequence. Either the producer's exchange sees the consumer's `true`
// (and posts), or the consumer's later exchange reads after the producer's, acquires it, and
// therefore sees the data the producer published before posting. (Plain fences would do the
// same but ThreadSanitizer does not model them.)
#pragma once

#include <semaphore.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <stdexcept>

namespace denoise {

class FrameSignal {
public:
    FrameSignal() {
        if (sem_init(&sem_, 0, 0) != 0) throw std::runtime_error("sem_init failed");
    }
    ~FrameSignal() { sem_destroy(&sem_); }
    FrameSignal(const FrameSignal&) = delete;
    FrameSignal& operator=(const FrameSignal&) = delete;

    // Producer side (the audio callback, or stop()). Call after publishing data.
    void post() noexcept {
        if (sleeping_.exchange(false, std::memory_order_acq_rel)) sem_post(&sem_);
    }

    // Consumer side, step 1: announce the intent to sleep, then re-check the condition.
    void prepareWait() noexcept { sleeping_.exchange(true, std::memory_order_acq_rel); }

    // Consumer side, step 2 (condition still false): sleep until post() or timeoutMillis.
    void wait(int32_t timeoutMillis) noexcept {
        timespec deadline{};
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += timeoutMillis / 1000;
        deadline.tv_nsec += static_cast<long>(timeoutMillis % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec += 1;
            deadline.tv_nsec -= 1000000000L;
        }
        while (sem_timedwait(&sem_, &deadline) != 0 && errno == EINTR) {
        }
        sleeping_.exchange(false, std::memory_order_acq_rel);
    }

    // Consumer side: the condition became true after prepareWait(); no sleep needed.
    void cancelWait() noexcept { sleeping_.exchange(false, std::memory_order_acq_rel); }

    // Only when neither side runs: forget stale posts.
    void reset() noexcept {
        while (sem_trywait(&sem_) == 0) {
        }
        sleeping_.exchange(false, std::memory_order_acq_rel);
    }

private:
    sem_t sem_;
    std::atomic<bool> sleeping_{false};
};

}  // namespace denoise
