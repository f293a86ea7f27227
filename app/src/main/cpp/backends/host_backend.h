// A simulated full-duplex device for the host (tests, the JVM): one clock drives an input and an
// output stream of the same burst size. Each burst, the device makes framesPerBurst new input
// samples readable (taken from a looped input signal) and asks the callback for framesPerBurst
// output samples, which it records into a capture buffer at the burst's place on the output
// timeline (burst k covers output samples [k * burst, (k + 1) * burst)).
//
// Imperfections, all drawn from one seeded generator so a run can be repeated:
//   jitterMillis         each callback fires up to this much early or late around its slot on
//                        the nominal grid (the grid itself does not drift)
//   dropoutProbability   the device misses a whole burst: its input is lost and its output slot
//                        stays silent; counted as a device xrun, its index recorded
//   inputLagProbability  a burst's input becomes readable one callback late (the two streams
//                        of a real device are not in lock-step)
//   late callbacks       with the real-time clock, a callback that would start more than
//                        lateXrunMillis after its slot is skipped like a dropout: a real device
//                        would have played silence by then (no catch-up bursts)
//
// Clock: a real-time thread (sleep_until on the steady clock), or, with manualClock, none: the
// test calls tick() for each burst from its own thread. Like a device's callback thread, the
// clock thread asks for SCHED_FIFO (granted where the process may; realtimeGranted() says).
#pragma once

#include <atomic>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "../engine/audio_backend.h"

namespace denoise {

struct HostDeviceConfig {
    int32_t sampleRate = 48000;
    int32_t framesPerBurst = 192;
    double jitterMillis = 0;
    double dropoutProbability = 0;
    double inputLagProbability = 0;
    uint64_t seed = 1;
    bool manualClock = false;
    bool realtimeThread = true;    // ask for SCHED_FIFO for the clock thread
    double lateXrunMillis = -1;    // negative: two burst periods
    std::vector<float> input;      // looped; silence when empty
    size_t captureFrames = 0;      // output samples kept from the first burst on
    size_t maxRecordedDropouts = 1024;
};

class HostBackend final : public AudioBackend, private InputReader {
public:
    explicit HostBackend(HostDeviceConfig config);
    ~HostBackend() override;

    std::string name() const override { return "host simulation"; }
    std::string open(int32_t sampleRate, DuplexCallback* callback, StreamInfo* info) override;
    std::string start() override;
    void stop() override;
    void close() override;
    double deviceLatencyMillis() const override { return 0.0; }  // the simulation adds none
    int64_t deviceXruns() const override { return xruns_.load(std::memory_order_relaxed); }

    // Manual clock only: runs one burst on the calling thread. Allocates nothing.
    void tick() noexcept;

    // After stop() (or between ticks with the manual clock): what the device played, the burst
    // indexes it dropped, and how many bursts have elapsed.
    const std::vector<float>& capture() const { return capture_; }
    const std::vector<int64_t>& dropoutBursts() const { return dropouts_; }
    int64_t bursts() const { return burst_.load(std::memory_order_relaxed); }
    const HostDeviceConfig& config() const { return config_; }
    // Whether the clock thread got SCHED_FIFO (after start(), real-time clock only).
    bool realtimeGranted() const { return realtimeGranted_.load(std::memory_order_relaxed); }

private:
    int32_t readInput(float* dst, int32_t maxFrames) noexcept override;
    void runBurst(bool late) noexcept;
    void clockLoop();

    const HostDeviceConfig config_;
    DuplexCallback* callback_ = nullptr;
    bool open_ = false;
    std::vector<float> output_;
    std::vector<float> capture_;
    std::vector<int64_t> dropouts_;
    std::mt19937_64 random_;
    std::uniform_real_distribution<double> unit_{0.0, 1.0};

    // Device-thread state.
    uint64_t inputReadable_ = 0;  // input samples [0, inputReadable_) exist
    uint64_t inputRead_ = 0;      // next input sample the callback reads

    std::atomic<int64_t> burst_{0};
    std::atomic<int64_t> xruns_{0};
    std::atomic<bool> running_{false};
    std::atomic<bool> realtimeGranted_{false};
    std::thread clock_;
};

}  // namespace denoise
