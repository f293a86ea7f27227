// The Android device backend over Oboe (compiled only with -DDENOISE_WITH_OBOE=ON; see README).
#pragma once

#include <memory>

#include "../engine/audio_backend.h"

namespace denoise {

// A low-latency full-duplex pair: an output stream whose data callback drives the engine, and an
// input stream without a callback that the engine reads non-blockingly from inside it.
std::unique_ptr<AudioBackend> makeOboeBackend();

}  // namespace denoise
