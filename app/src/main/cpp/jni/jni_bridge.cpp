// JNI shims for dev.denoise.app.audio.nativeengine.NativeBridge. Each function converts
// arguments and forwards to one engine call; the state lives in a Bridge object whose address is
// the Java handle (owned by NativeDuplexEngine, freed by nativeDestroy). There is no global
// engine. None of these functions runs on the audio callback.
#include <jni.h>

#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/host_backend.h"
#include "engine/duplex_engine.h"
#include "engine/thread_priority.h"
#if DENOISE_WITH_OBOE
#include "backends/oboe_backend.h"
#endif

namespace {

using denoise::DuplexEngine;
using denoise::EngineConfig;
using denoise::HostBackend;
using denoise::HostDeviceConfig;

struct Bridge {
    std::unique_ptr<DuplexEngine> engine;
    HostBackend* host = nullptr;  // owned by engine; null for a device backend
    float* input = nullptr;       // direct buffers bound by nativeStart
    float* output = nullptr;
};

Bridge* bridge(jlong handle) { return reinterpret_cast<Bridge*>(static_cast<intptr_t>(handle)); }

void throwJava(JNIEnv* env, const char* className, const std::string& message) {
    jclass type = env->FindClass(className);
    if (type != nullptr) env->ThrowNew(type, message.c_str());
}

jlong wrap(std::unique_ptr<denoise::AudioBackend> backend, HostBackend* host, jint sampleRate,
           jint extraPrimeSamples) {
    EngineConfig config;
    config.sampleRate = sampleRate;
    config.extraPrimeSamples = extraPrimeSamples;
    auto out = std::make_unique<Bridge>();
    out->engine = std::make_unique<DuplexEngine>(std::move(backend), config);
    out->host = host;
    return static_cast<jlong>(reinterpret_cast<intptr_t>(out.release()));
}

}  // namespace

extern "C" {

JNIEXPORT jstring JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeBackends(JNIEnv* env, jclass) {
#if DENOISE_WITH_OBOE
    return env->NewStringUTF("host,oboe");
#else
    return env->NewStringUTF("host");
#endif
}

JNIEXPORT jlong JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeCreateHost(
    JNIEnv* env, jclass, jint sampleRate, jint framesPerBurst, jdouble jitterMillis, jdouble dropoutProbability,
    jdouble inputLagProbability, jlong seed, jfloatArray input, jint captureFrames, jint extraPrimeSamples) {
    try {
        HostDeviceConfig config;
        config.sampleRate = sampleRate;
        config.framesPerBurst = framesPerBurst;
        config.jitterMillis = jitterMillis;
        config.dropoutProbability = dropoutProbability;
        config.inputLagProbability = inputLagProbability;
        config.seed = static_cast<uint64_t>(seed);
        config.captureFrames = static_cast<size_t>(captureFrames < 0 ? 0 : captureFrames);
        if (input != nullptr) {
            config.input.resize(static_cast<size_t>(env->GetArrayLength(input)));
            env->GetFloatArrayRegion(input, 0, static_cast<jsize>(config.input.size()), config.input.data());
        }
        auto host = std::make_unique<HostBackend>(std::move(config));
        HostBackend* raw = host.get();
        return wrap(std::move(host), raw, sampleRate, extraPrimeSamples);
    } catch (const std::invalid_argument& e) {
        throwJava(env, "java/lang/IllegalArgumentException", e.what());
    } catch (const std::bad_alloc&) {
        throwJava(env, "java/lang/OutOfMemoryError", "native engine allocation failed");
    }
    return 0;
}

JNIEXPORT jlong JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeCreateDevice(
    JNIEnv* env, jclass, jint sampleRate, jint extraPrimeSamples) {
#if DENOISE_WITH_OBOE
    try {
        return wrap(denoise::makeOboeBackend(), nullptr, sampleRate, extraPrimeSamples);
    } catch (const std::invalid_argument& e) {
        throwJava(env, "java/lang/IllegalArgumentException", e.what());
    }
    return 0;
#else
    (void)sampleRate;
    (void)extraPrimeSamples;
    throwJava(env, "java/lang/UnsupportedOperationException", "this library was built without the Oboe backend");
    return 0;
#endif
}

JNIEXPORT jstring JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeBackendName(JNIEnv* env, jclass,
                                                                                              jlong handle) {
    return env->NewStringUTF(bridge(handle)->engine->backend().name().c_str());
}

JNIEXPORT jint JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeFrameSize(JNIEnv*, jclass,
                                                                                         jlong handle) {
    return bridge(handle)->engine->frameSize();
}

JNIEXPORT jstring JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeStart(JNIEnv* env, jclass,
                                                                                        jlong handle, jobject input,
                                                                                        jobject output) {
    Bridge* b = bridge(handle);
    const jlong need = static_cast<jlong>(b->engine->frameSize()) * static_cast<jlong>(sizeof(float));
    if (env->GetDirectBufferCapacity(input) < need || env->GetDirectBufferCapacity(output) < need) {
        return env->NewStringUTF(("frame buffers must be direct and hold " + std::to_string(need) + " bytes").c_str());
    }
    b->input = static_cast<float*>(env->GetDirectBufferAddress(input));
    b->output = static_cast<float*>(env->GetDirectBufferAddress(output));
    try {
        const std::string error = b->engine->start();
        return error.empty() ? nullptr : env->NewStringUTF(error.c_str());
    } catch (const std::exception& e) {
        return env->NewStringUTF(e.what());
    }
}

JNIEXPORT void JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeStop(JNIEnv*, jclass, jlong handle) {
    bridge(handle)->engine->stop();
}

JNIEXPORT jboolean JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeRequestAudioPriority(JNIEnv*,
                                                                                                        jclass) {
    return denoise::requestAudioPriority() ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jint JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeTakeFrame(JNIEnv*, jclass,
                                                                                         jlong handle,
                                                                                         jint timeoutMillis) {
    Bridge* b = bridge(handle);
    switch (b->engine->takeFrame(b->input, timeoutMillis)) {
        case DuplexEngine::Take::Frame:
            return 1;
        case DuplexEngine::Take::Timeout:
            return 0;
        case DuplexEngine::Take::Stopped:
        default:
            return -1;
    }
}

JNIEXPORT jboolean JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeSubmitFrame(JNIEnv*, jclass,
                                                                                               jlong handle) {
    Bridge* b = bridge(handle);
    return b->engine->submitFrame(b->output) ? JNI_TRUE : JNI_FALSE;
}

// counters: phase, callbacks, framesProcessed, inputOverruns, inputSamplesDropped, outputUnderruns,
// underrunSamples, submitOverflows, deviceXruns, latencySamples, maxLatencySamples, framesPerBurst,
// primeSamples, startTrimmedSamples, latencyTrims, latencyTrimmedSamples; millis: latencyMillis,
// deviceLatencyMillis.
JNIEXPORT void JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeStats(JNIEnv* env, jclass,
                                                                                     jlong handle, jlongArray counters,
                                                                                     jdoubleArray millis) {
    const denoise::EngineStats s = bridge(handle)->engine->stats();
    const jlong c[] = {static_cast<jlong>(s.phase), s.callbacks,      s.framesProcessed, s.inputOverruns,
                       s.inputSamplesDropped,       s.outputUnderruns, s.underrunSamples, s.submitOverflows,
                       s.deviceXruns,               s.latencySamples,  s.maxLatencySamples, s.framesPerBurst,
                       s.primeSamples,              s.startTrimmedSamples, s.latencyTrims,
                       s.latencyTrimmedSamples};
    const jdouble m[] = {s.latencyMillis, s.deviceLatencyMillis};
    const jsize nc = static_cast<jsize>(sizeof(c) / sizeof(c[0]));
    const jsize nm = static_cast<jsize>(sizeof(m) / sizeof(m[0]));
    if (env->GetArrayLength(counters) < nc || env->GetArrayLength(millis) < nm) {
        throwJava(env, "java/lang/IllegalArgumentException",
                  "stats arrays too short: need " + std::to_string(nc) + " counters and " + std::to_string(nm) + " millis");
        return;
    }
    env->SetLongArrayRegion(counters, 0, nc, c);
    env->SetDoubleArrayRegion(millis, 0, nm, m);
}

JNIEXPORT jfloatArray JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeHostCapture(JNIEnv* env, jclass,
                                                                                                  jlong handle) {
    Bridge* b = bridge(handle);
    if (b->host == nullptr || b->engine->running()) return nullptr;
    const std::vector<float>& capture = b->host->capture();
    jfloatArray out = env->NewFloatArray(static_cast<jsize>(capture.size()));
    if (out != nullptr) env->SetFloatArrayRegion(out, 0, static_cast<jsize>(capture.size()), capture.data());
    return out;
}

JNIEXPORT jlongArray JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeHostDropouts(JNIEnv* env,
                                                                                                  jclass, jlong handle) {
    Bridge* b = bridge(handle);
    if (b->host == nullptr || b->engine->running()) return nullptr;
    const std::vector<int64_t>& dropouts = b->host->dropoutBursts();
    jlongArray out = env->NewLongArray(static_cast<jsize>(dropouts.size()));
    if (out == nullptr) return nullptr;
    std::vector<jlong> copy(dropouts.begin(), dropouts.end());
    env->SetLongArrayRegion(out, 0, static_cast<jsize>(copy.size()), copy.data());
    return out;
}

JNIEXPORT void JNICALL Java_dev_denoise_app_audio_nativeengine_NativeBridge_nativeDestroy(JNIEnv*, jclass,
                                                                                       jlong handle) {
    delete bridge(handle);  // ~DuplexEngine stops the device first
}

}  // extern "C"
