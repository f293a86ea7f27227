// Shared helpers for the engine tests: building an engine over the host backend, an identity
// "processing thread" and the analysis of what the simulated device played.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "backends/host_backend.h"
#include "engine/duplex_engine.h"

namespace denoise {
namespace testing {

// Input sample i is i + 1 (exact in float up to 2^24), so a played value names its input index.
inline std::vector<float> rampInput(size_t length) {
    std::vector<float> ramp(length);
    for (size_t i = 0; i < length; ++i) ramp[i] = static_cast<float>(i + 1);
    return ramp;
}

struct Rig {
    HostBackend* host = nullptr;
    std::unique_ptr<DuplexEngine> engine;
};

inline Rig makeRig(HostDeviceConfig device, EngineConfig config = {}) {
    config.sampleRate = device.sampleRate;
    auto backend = std::make_unique<HostBackend>(std::move(device));
    Rig rig;
    rig.host = backend.get();
    rig.engine = std::make_unique<DuplexEngine>(std::move(backend), config);
    return rig;
}

// Identity processing inline on the calling thread: takes every complete frame and returns it.
inline int processReadyFrames(DuplexEngine& engine, std::vector<float>& frame) {
    int n = 0;
    while (engine.takeFrame(frame.data(), 0) == DuplexEngine::Take::Frame) {
        engine.submitFrame(frame.data());
        ++n;
    }
    return n;
}

// What a ramp-driven run played: where playback began and how the played indexes progress.
struct RampAnalysis {
    int64_t firstPlayed = -1;       // output position of the first non-silent sample
    int64_t offset = -1;            // output position minus input index there (the added latency)
    int64_t silentAfterStart = 0;   // silent samples after playback began
    int64_t silentRuns = 0;         // runs of such samples
    int64_t indexJumps = 0;         // places where the played input index skips ahead
    int64_t skippedSamples = 0;     // input indexes skipped there in all
    int64_t backwardSteps = 0;      // places where it repeats or goes back (must never happen)
};

inline RampAnalysis analyseRamp(const std::vector<float>& played, size_t end) {
    RampAnalysis a;
    int64_t lastIndex = -1;
    bool inSilence = false;
    for (size_t n = 0; n < end; ++n) {
        const float v = played[n];
        if (v == 0.0f) {
            if (a.firstPlayed >= 0) {
                ++a.silentAfterStart;
                if (!inSilence) ++a.silentRuns;
                inSilence = true;
            }
            continue;
        }
        inSilence = false;
        const int64_t index = static_cast<int64_t>(v) - 1;
        if (a.firstPlayed < 0) {
            a.firstPlayed = static_cast<int64_t>(n);
            a.offset = static_cast<int64_t>(n) - index;
        } else if (index <= lastIndex) {
            ++a.backwardSteps;
        } else if (index != lastIndex + 1) {
            ++a.indexJumps;
            a.skippedSamples += index - lastIndex - 1;
        }
        lastIndex = index;
    }
    // A silent stretch that runs to the end is not inside the played region.
    if (inSilence) {
        --a.silentRuns;
        size_t n = end;
        while (n > 0 && played[n - 1] == 0.0f) {
            --n;
            --a.silentAfterStart;
        }
    }
    return a;
}

}  // namespace testing
}  // namespace denoise
