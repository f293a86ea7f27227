// Proves the real-time path allocates nothing: this binary replaces malloc and friends (which
// operator new uses) with counting wrappers around glibc's, armed only while device callbacks
// run. Built without ThreadSanitizer, whose runtime replaces malloc itself.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "engine_harness.h"

extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
}

namespace {
std::atomic<long> gAllocations{0};
// Counting is armed per thread (the manual clock) or for every thread not marked exempt (the
// real-time clock thread, which the test cannot mark itself).
thread_local bool tArmed = false;
thread_local bool tExempt = false;
std::atomic<bool> gArmOthers{false};

inline void count() {
    if (tArmed || (gArmOthers.load(std::memory_order_relaxed) && !tExempt)) {
        gAllocations.fetch_add(1, std::memory_order_relaxed);
    }
}
}  // namespace

extern "C" {
void* malloc(size_t n) {
    count();
    return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) {
    count();
    return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) {
    count();
    return __libc_realloc(p, n);
}
void* aligned_alloc(size_t alignment, size_t n) {
    count();
    return __libc_memalign(alignment, n);
}
void* memalign(size_t alignment, size_t n) {
    count();
    return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, size_t alignment, size_t n) {
    count();
    void* p = __libc_memalign(alignment, n);
    if (p == nullptr) return ENOMEM;
    *out = p;
    return 0;
}
}

namespace denoise {
namespace {

using testing::makeRig;
using testing::processReadyFrames;
using testing::rampInput;

TEST(CallbackAllocationTest, TheHookSeesAllocations) {
    static int* volatile p;
    static void* volatile q;
    gAllocations = 0;
    tArmed = true;
    p = new int(3);
    q = std::malloc(17);
    tArmed = false;
    std::free(q);
    delete p;
    EXPECT_EQ(gAllocations.load(), 2);
}

// Manual clock: the test thread runs each callback with counting armed, exercising every path
// (draining, settling, running, underrun, overrun, device dropouts, late input).
TEST(CallbackAllocationTest, CallbacksAllocateNothing) {
    HostDeviceConfig device;
    device.framesPerBurst = 192;
    device.manualClock = true;
    device.dropoutProbability = 0.02;
    device.inputLagProbability = 0.1;
    device.captureFrames = 48000 * 4;
    device.input = rampInput(48000);
    auto rig = makeRig(device);
    ASSERT_EQ(rig.engine->start(), "");
    std::vector<float> frame(480);
    gAllocations = 0;
    for (int k = 0; k < 1000; ++k) {
        tArmed = true;
        rig.host->tick();
        tArmed = false;
        // Stall for 400 of every 500 bursts (1.6 s, more than a ring holds), so underruns,
        // overruns and latency recovery happen while armed.
        if (k % 500 < 100) processReadyFrames(*rig.engine, frame);
    }
    const EngineStats s = rig.engine->stats();
    rig.engine->stop();
    EXPECT_GT(s.outputUnderruns, 0);
    EXPECT_GT(s.inputOverruns, 0);
    EXPECT_GT(s.deviceXruns, 0);
    EXPECT_GT(s.latencyTrims, 0);
    EXPECT_EQ(gAllocations.load(), 0);
}

// Real-time clock: everything on the clock thread (the callbacks and the clock's own loop) is
// counted; this thread and the processing thread are exempt.
TEST(CallbackAllocationTest, RealTimeClockThreadAllocatesNothing) {
    HostDeviceConfig device;
    device.framesPerBurst = 96;
    device.jitterMillis = 0.5;
    device.input = rampInput(48000);
    auto rig = makeRig(device);
    tExempt = true;
    ASSERT_EQ(rig.engine->start(), "");
    std::atomic<bool> done{false};
    std::thread processing([&] {
        tExempt = true;
        std::vector<float> frame(480);
        while (!done.load()) {
            if (rig.engine->takeFrame(frame.data(), 50) == DuplexEngine::Take::Frame) {
                rig.engine->submitFrame(frame.data());
            }
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    gAllocations = 0;
    gArmOthers = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    gArmOthers = false;
    const long allocations = gAllocations.load();
    done = true;
    processing.join();
    const EngineStats s = rig.engine->stats();
    rig.engine->stop();
    EXPECT_GT(s.callbacks, 100);
    EXPECT_EQ(allocations, 0);
}

}  // namespace
}  // namespace denoise
