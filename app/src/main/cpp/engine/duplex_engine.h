// The full-duplex engine core: a device callback on one side, one processing thread on the
// other, two lock-free rings between them.
//
//   device callback (real-time)                         processing thread (Java, via JNI)
//   input burst ──► toProcessor_ ring ──► takeFrame(): one 10 ms frame ──► processor
//   output burst ◄── fromProcessor_ ring ◄── submitFrame(): one 10 ms frame ◄──┘
//
// The rings re-block: the callback moves whatever burst size the device uses, the processing
// thread moves exactly frameSize() = sampleRate / 100 samples.
//
// Start-up follows the full-duplex pattern: Draining (discard input that queued up before the
// output started), Settling (a few callbacks of silence while both streams reach steady state),
// then Running (input is passed on). Playback of processed audio begins once the output ring
// holds primeSamples() (one frame plus a safety margin) and the processing thread has caught up;
// from then on, an output callback that finds too little counts an underrun and plays silence
// for the missing part (the audio is delayed, so latency grows by that much until the processing
// thread has caught up; then the excess is dropped in one counted skip, see recoverLatency).
//
// Threads: start()/stop()/stats() from any control thread (serialised by a mutex the callback
// never touches); takeFrame()/submitFrame() from one processing thread while running; the
// callback from the backend's thread. The callback never allocates, locks, logs or does I/O.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "audio_backend.h"
#include "frame_signal.h"
#include "spsc_ring.h"

namespace denoise {

struct EngineConfig {
    int32_t sampleRate = 48000;
    // Callbacks spent at most discarding stale input before settling (Draining ends early as
    // soon as a read finds the input empty).
    int32_t maxDrainCallbacks = 20;
    // Callbacks of silence after draining, input discarded, before input is passed on.
    int32_t settleCallbacks = 2;
    // Samples the output ring must hold beyond one frame before playback starts; negative means
    // one device burst. More margin absorbs processing-thread stalls at the cost of latency.
    int32_t extraPrimeSamples = -1;
    // Capacity of each ring in 10 ms frames (at least 4 device bursts and twice the prime level
    // either way; rounded up to a power of two). One second or more: a processing stall that
    // long shows as underruns (audio delayed) rather than overruns (input lost).
    int32_t ringFrames = 100;
    // After an underrun, drop the excess once the processing thread has caught up, so latency
    // returns to the prime level (see playOutput). Off: every stall's delay is kept.
    bool recoverLatency = true;
};

enum class EnginePhase : int32_t { Stopped = 0, Draining = 1, Settling = 2, Running = 3 };

struct EngineStats {
    EnginePhase phase = EnginePhase::Stopped;
    int64_t callbacks = 0;
    int64_t framesProcessed = 0;       // frames submitted by the processing thread
    int64_t inputOverruns = 0;         // callbacks whose input did not fit in toProcessor_
    int64_t inputSamplesDropped = 0;   // samples lost that way
    int64_t outputUnderruns = 0;       // callbacks (after playback began) short of processed audio
    int64_t underrunSamples = 0;       // silent samples played that way
    int64_t submitOverflows = 0;       // frames the processing thread could not hand back
    int64_t deviceXruns = 0;           // reported by the backend
    int64_t latencySamples = -1;       // samples inside the engine at the last callback, -1 unknown
    int64_t maxLatencySamples = -1;    // largest such value since playback began, -1 unknown
    int64_t startTrimmedSamples = 0;   // processed samples dropped when playback began
    int64_t latencyTrims = 0;          // latency recoveries after underruns
    int64_t latencyTrimmedSamples = 0; // processed samples dropped by them
    double deviceLatencyMillis = 0;    // the backend's own estimate (NaN when unknown)
    double latencyMillis = 0;          // engine + device, NaN when unknown
    int32_t framesPerBurst = 0;
    int32_t primeSamples = 0;
};

class DuplexEngine final : private DuplexCallback {
public:
    DuplexEngine(std::unique_ptr<AudioBackend> backend, EngineConfig config);
    ~DuplexEngine();
    DuplexEngine(const DuplexEngine&) = delete;
    DuplexEngine& operator=(const DuplexEngine&) = delete;

    int32_t sampleRate() const { return config_.sampleRate; }
    int32_t frameSize() const { return frameSize_; }
    AudioBackend& backend() { return *backend_; }

    // Opens and starts the device. Empty string on success, otherwise why not (nothing is left
    // running then). The processing thread must not be inside takeFrame/submitFrame meanwhile.
    std::string start();

    // Stops and closes the device and wakes a processing thread blocked in takeFrame (which then
    // returns Stopped). Does nothing when not running.
    void stop();

    bool running() const { return active_.load(std::memory_order_acquire); }

    enum class Take { Frame, Timeout, Stopped };

    // Processing thread: copies the next frameSize() input samples into dst, waiting up to
    // timeoutMillis for them. Never called by the callback; the only place the engine blocks.
    Take takeFrame(float* dst, int32_t timeoutMillis);

    // Processing thread: queues frameSize() processed samples for playback. Returns false when
    // the output ring had no room (the frame is dropped and counted as a submit overflow).
    bool submitFrame(const float* src);

    // Prime level of the current run (valid after start()).
    int32_t primeSamples() const { return primeSamples_; }

    EngineStats stats() const;

private:
    void onDuplexBurst(InputReader& input, float* output, int32_t frames) noexcept override;
    void discardInput(InputReader& input, bool* sawEmpty) noexcept;
    void passInput(InputReader& input) noexcept;
    void playOutput(float* output, int32_t frames, size_t inputBacklog) noexcept;

    const std::unique_ptr<AudioBackend> backend_;
    const EngineConfig config_;
    const int32_t frameSize_;

    mutable std::mutex controlMutex_;  // start/stop/stats; never taken by the callback
    bool open_ = false;        // guarded by controlMutex_
    StreamInfo info_;          // guarded by controlMutex_, read-only while running
    int32_t primeSamples_ = 0;
    int32_t scratchFrames_ = 0;

    // Allocated in start(), before the device runs.
    std::unique_ptr<SpscRing<float>> toProcessor_;
    std::unique_ptr<SpscRing<float>> fromProcessor_;
    std::unique_ptr<float[]> scratch_;  // callback-only input buffer
    FrameSignal inputSignal_;

    std::atomic<bool> active_{false};

    // Callback-thread state (written only by the callback; published as relaxed atomics so
    // stats() can read them from another thread).
    std::atomic<int32_t> phase_{static_cast<int32_t>(EnginePhase::Stopped)};
    int32_t phaseCallbacks_ = 0;
    bool playing_ = false;
    bool behindAfterUnderrun_ = false;  // an underrun added latency that is not recovered yet
    uint64_t processedPlayed_ = 0;
    std::atomic<int64_t> callbacks_{0};
    std::atomic<int64_t> inputOverruns_{0};
    std::atomic<int64_t> inputSamplesDropped_{0};
    std::atomic<int64_t> outputUnderruns_{0};
    std::atomic<int64_t> underrunSamples_{0};
    std::atomic<int64_t> latencySamples_{-1};
    std::atomic<int64_t> maxLatencySamples_{-1};
    std::atomic<int64_t> startTrimmed_{0};
    std::atomic<int64_t> latencyTrims_{0};
    std::atomic<int64_t> latencyTrimmedSamples_{0};

    // Processing-thread state.
    std::atomic<int64_t> framesProcessed_{0};
    std::atomic<int64_t> submitOverflows_{0};

    int64_t deviceXrunsAtStop_ = 0;  // guarded by controlMutex_
};

}  // namespace denoise
