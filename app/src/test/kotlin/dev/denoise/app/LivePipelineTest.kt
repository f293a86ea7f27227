package dev.denoise.app

import android.app.Application
import android.content.Intent
import android.media.AudioRecord
import android.media.MediaRecorder
import androidx.test.core.app.ApplicationProvider
import dev.denoise.app.audio.PlatformAudioEngine
import dev.denoise.app.platform.LiveVoiceService
import dev.denoise.app.platform.AndroidLivePlatform
import dev.denoise.app.voice.FloatRingBuffer
import dev.denoise.app.voice.LiveProcessor
import dev.denoise.app.voice.VoiceMode
import dev.denoise.app.voice.WavRecorder
import dev.denoise.core.audio.SpeechLikeSignal
import dev.denoise.core.audio.classic.Strength
import dev.denoise.core.audio.wav.WavFiles
import dev.denoise.core.metrics.SiSdr
import java.nio.file.Files
import java.util.concurrent.atomic.AtomicInteger
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.shadows.ShadowAudioRecord

/**
 * The platform engine under Robolectric: ShadowAudioRecord plays a noisy signal into the
 * microphone; the processed stream is recorded to a WAV as the app does it.
 */
@RunWith(RobolectricTestRunner::class)
class LivePipelineTest {
    private val rate = 48000
    private val frame = 480

    /** Serves [signal] as 16-bit microphone samples, no further than [allowed] samples. */
    private class MicSource(private val signal: FloatArray, val allowed: AtomicInteger) : ShadowAudioRecord.AudioRecordSource {
        val served = AtomicInteger()
        override fun readInShortArray(audioData: ShortArray, offsetInShorts: Int, sizeInShorts: Int, isBlocking: Boolean): Int {
            val pos = served.get()
            val n = minOf(sizeInShorts, allowed.get() - pos, signal.size - pos)
            if (n <= 0) return 0
            for (i in 0 until n) {
                audioData[offsetInShorts + i] = Math.round(signal[pos + i].coerceIn(-1f, 1f) * 32767f).toShort()
            }
            served.addAndGet(n)
            return n
        }
    }

    @After
    fun clear() = ShadowAudioRecord.clearSource()

    private fun awaitFrames(engine: PlatformAudioEngine, frames: Long) {
        val deadline = System.nanoTime() + 60_000_000_000L
        while (engine.stats().framesProcessed() < frames) {
            assertTrue("engine stalled at ${engine.stats().framesProcessed()} frames: ${engine.failure()}",
                System.nanoTime() < deadline && engine.isRunning)
            Thread.sleep(2)
        }
    }

    @Test
    fun noisyMicrophoneGivesARecordingWithHigherSiSdr_andChangesApplyMidStream() {
        val seconds = 6.0
        val clean = SpeechLikeSignal.speech(rate, seconds, 41)
        val noisy = SpeechLikeSignal.mix(clean, SpeechLikeSignal.noise(rate, seconds, 0.4, true, 42), 0.0)
        val total = noisy.size / frame
        val allowed = AtomicInteger(0)
        val mic = MicSource(noisy, allowed)
        ShadowAudioRecord.setSource(mic)

        val processor = LiveProcessor(rate, Strength.DEFAULT, VoiceMode.CLASSIC, null, null)
        val ring = FloatRingBuffer(rate * 8)
        processor.setRecordTap(ring)
        val out = Files.createTempFile("live", ".wav")
        Files.delete(out)
        val recorder = WavRecorder(ring, out, rate)
        val engine = PlatformAudioEngine(rate, true, MediaRecorder.AudioSource.VOICE_RECOGNITION)
        engine.start(processor)
        // Classic for the first 4.5 s, then Off (input passes through) for the rest.
        val switchAt = total * 3 / 4
        allowed.set(switchAt * frame)
        awaitFrames(engine, switchAt.toLong())
        processor.setMode(VoiceMode.OFF)
        allowed.set(total * frame)
        awaitFrames(engine, total.toLong())
        engine.stop()
        recorder.finish()

        val rec = WavFiles.read(out).channel(0)
        assertEquals(total * frame, rec.size)
        val lat = 480
        val from = rate // skip the noise tracker's first second
        val to = switchAt * frame - lat
        val ref = clean.copyOfRange(from, to)
        val before = SiSdr.db(ref, noisy.copyOfRange(from, to))
        val after = SiSdr.db(ref, rec.copyOfRange(from + lat, to + lat))
        assertTrue("SI-SDR $before -> $after dB", after > before + 3)
        // After the switch (plus the frames that were already in flight) the input passes unchanged.
        val q = 1.5f / 32768f
        for (i in (switchAt + 5) * frame until total * frame) {
            assertEquals("sample $i", noisy[i], rec[i], q)
        }
    }

    @Test
    fun engineCountsFramesAndReportsLatency() {
        val allowed = AtomicInteger(Int.MAX_VALUE)
        ShadowAudioRecord.setSource(MicSource(FloatArray(rate), allowed))
        val engine = PlatformAudioEngine(rate, true, MediaRecorder.AudioSource.MIC)
        engine.start { i, o -> i.copyInto(o) }
        awaitFrames(engine, 50)
        assertTrue(engine.stats().latencyMillis() >= 10.0)
        engine.stop()
        assertTrue(!engine.isRunning)
    }

    @Test
    fun foregroundServiceStartsAsMicrophoneTypeAndStops() {
        val app = ApplicationProvider.getApplicationContext<Application>()
        val platform = AndroidLivePlatform(app)
        platform.startLiveService()
        val started = shadowOf(app).nextStartedService
        assertNotNull(started)
        assertEquals(LiveVoiceService::class.java.name, started.component!!.className)
        val service = Robolectric.buildService(LiveVoiceService::class.java, started).create().startCommand(0, 1).get()
        val shadow = shadowOf(service)
        assertTrue(shadow.isForegroundStopped.not())
        assertNotNull(shadow.lastForegroundNotification)
        platform.stopLiveService()
        val stopped = shadowOf(app).nextStoppedService
        assertEquals(LiveVoiceService::class.java.name, stopped.component!!.className)
    }

    @Test
    fun stopActionFromTheNotificationStopsLiveVoice() {
        val app = ApplicationProvider.getApplicationContext<Application>()
        val intent = Intent(app, LiveVoiceService::class.java).setAction(LiveVoiceService.ACTION_STOP)
        val controller = Robolectric.buildService(LiveVoiceService::class.java, intent).create().startCommand(0, 1)
        assertTrue(shadowOf(controller.get()).isStoppedBySelf)
        assertEquals(dev.denoise.app.voice.LiveUiState.Phase.IDLE, DenoiseApp.of(app).live().state().phase())
    }
}
