package dev.denoise.app

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.FilterChip
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Slider
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import dev.denoise.app.files.FileUiState
import dev.denoise.app.models.DelegateChoice
import dev.denoise.app.voice.LiveProcessor
import dev.denoise.app.voice.LiveUiState
import dev.denoise.app.voice.VoiceMode
import java.util.Locale

/** Screens the app navigates between. */
enum class Screen { HOME, LIVE, FILES, PHOTOS, CAMERA }

private val WarningColor = Color(0xFFB3261E)

@Composable
fun HomeScreen(onLive: () -> Unit, onFiles: () -> Unit, onPhotos: () -> Unit = {}) {
    Column(
        modifier = Modifier.fillMaxSize().padding(24.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp),
    ) {
        Text("Denoiser", style = MaterialTheme.typography.headlineMedium)
        Text("Voice", style = MaterialTheme.typography.titleLarge)
        Text("Everything runs on this phone; nothing is sent anywhere.", style = MaterialTheme.typography.bodyMedium)
        Button(onClick = onLive, modifier = Modifier.fillMaxWidth()) { Text("Live voice") }
        OutlinedButton(onClick = onFiles, modifier = Modifier.fillMaxWidth()) { Text("Audio files") }
        Text("Photos", style = MaterialTheme.typography.titleLarge)
        Button(onClick = onPhotos, modifier = Modifier.fillMaxWidth()) { Text("Denoise a photo") }
    }
}

/** What the live screen can ask for; every action defaults to nothing (previews, tests). */
data class LiveActions(
    val start: () -> Unit = {},
    val stop: () -> Unit = {},
    val mode: (VoiceMode) -> Unit = {},
    val strength: (Double) -> Unit = {},
    val delegate: (DelegateChoice) -> Unit = {},
    val monitor: (Boolean) -> Unit = {},
    val record: (Boolean) -> Unit = {},
    val requestPermission: () -> Unit = {},
    val dismissPermission: () -> Unit = {},
    val openSettings: () -> Unit = {},
    val back: () -> Unit = {},
)

@Composable
fun LiveVoiceScreen(state: LiveUiState, actions: LiveActions) {
    Column(
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(10.dp),
    ) {
        Row(verticalAlignment = Alignment.CenterVertically) {
            TextButton(onClick = actions.back) { Text("Back") }
            Text("Live voice", style = MaterialTheme.typography.titleLarge)
        }
        when (state.phase()) {
            LiveUiState.Phase.PERMISSION_RATIONALE -> Card {
                Column(Modifier.padding(12.dp)) {
                    Text("Microphone needed", style = MaterialTheme.typography.titleMedium)
                    Text("Live cleanup listens to the microphone and plays the cleaned voice back. Audio stays on this phone.")
                    Row {
                        Button(onClick = actions.requestPermission) { Text("Allow microphone") }
                        TextButton(onClick = actions.dismissPermission) { Text("Not now") }
                    }
                }
            }
            LiveUiState.Phase.PERMISSION_DENIED -> Card {
                Column(Modifier.padding(12.dp)) {
                    Text("Microphone access denied", style = MaterialTheme.typography.titleMedium, color = WarningColor)
                    Text("Live voice cannot run without the microphone. Allow it in Settings → Apps → Denoiser → Permissions. Audio files still work.")
                    Button(onClick = actions.openSettings) { Text("Open settings") }
                }
            }
            else -> {}
        }
        state.error()?.let { Text(it, color = WarningColor, modifier = Modifier.testTag("error")) }
        state.warning()?.let { Text(it, color = WarningColor, modifier = Modifier.testTag("warning")) }
        state.note()?.let { Text(it, style = MaterialTheme.typography.bodySmall, modifier = Modifier.testTag("note")) }

        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            for (m in VoiceMode.entries) {
                FilterChip(selected = state.mode() == m, onClick = { actions.mode(m) }, label = { Text(m.label()) })
            }
        }
        if (state.running() && state.mode() != state.effectiveMode()) {
            Text("Running: ${state.effectiveMode().label()}", style = MaterialTheme.typography.bodySmall)
        }
        Text(String.format(Locale.ROOT, "Strength: up to %.0f dB of noise removed", state.strengthDb()))
        Slider(
            value = state.strengthDb().toFloat(),
            onValueChange = { actions.strength(it.toDouble()) },
            valueRange = 0f..40f,
            modifier = Modifier.semantics { contentDescription = "Strength" },
        )
        Text("Neural model runs on")
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
            for (d in DelegateChoice.entries) {
                FilterChip(selected = state.delegate() == d, enabled = !state.running(),
                    onClick = { actions.delegate(d) }, label = { Text(d.label()) })
            }
        }
        ToggleRow("Monitor on headphones", state.monitor(), !state.running(), actions.monitor)
        ToggleRow("Record to a WAV file", state.record(), !state.running(), actions.record)

        if (state.running()) {
            Button(onClick = actions.stop, modifier = Modifier.fillMaxWidth()) { Text("Stop") }
        } else {
            Button(onClick = actions.start, modifier = Modifier.fillMaxWidth()) { Text("Start") }
        }
        Meter("Input", state.inputLevelDb())
        Meter("Output", state.outputLevelDb())
        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            val vad = state.voiceProbability()
            Box(
                Modifier.size(14.dp).clip(CircleShape)
                    .background(if (vad < 0) Color.LightGray else if (vad >= 0.5f) Color(0xFF2E7D32) else Color.Gray),
            )
            Text(
                if (vad < 0) "Voice: —" else if (vad >= 0.5f) "Voice" else "No voice",
                modifier = Modifier.testTag("vad"),
            )
        }
        Text(latencyText(state), modifier = Modifier.testTag("latency"))
        Text("Overruns ${state.inputOverruns()} · underruns ${state.outputUnderruns()} · dropped ${state.outputDrops()}", modifier = Modifier.testTag("xruns"))
        state.engineName()?.let { Text("Engine: $it", style = MaterialTheme.typography.bodySmall) }
        state.lastRecording()?.let { Text("Saved: $it", modifier = Modifier.testTag("saved")) }
    }
}

fun latencyText(state: LiveUiState): String =
    if (state.ioLatencyMs().isNaN()) "Latency: —"
    else String.format(Locale.ROOT, "Latency ≈ %.0f ms (audio %.0f + denoiser %.0f)",
        state.totalLatencyMs(), state.ioLatencyMs(), state.algorithmLatencyMs())

@Composable
private fun ToggleRow(label: String, checked: Boolean, enabled: Boolean, onChange: (Boolean) -> Unit) {
    Row(verticalAlignment = Alignment.CenterVertically, modifier = Modifier.fillMaxWidth()) {
        Text(label, modifier = Modifier.weight(1f))
        Switch(checked = checked, enabled = enabled, onCheckedChange = onChange,
            modifier = Modifier.semantics { contentDescription = label })
    }
}

@Composable
private fun Meter(label: String, db: Float) {
    val floor = LiveProcessor.LEVEL_FLOOR_DB
    val fraction = ((db - floor) / -floor).coerceIn(0f, 1f)
    Row(verticalAlignment = Alignment.CenterVertically) {
        Text(label, modifier = Modifier.width(64.dp))
        LinearProgressIndicator(progress = { fraction }, modifier = Modifier.weight(1f).height(8.dp))
        Spacer(Modifier.width(8.dp))
        Text(if (db <= floor) "—" else String.format(Locale.ROOT, "%.0f dB", db), modifier = Modifier.width(56.dp))
    }
}

/** What the files screen can ask for. */
data class FileActions(
    val pick: () -> Unit = {},
    val denoise: () -> Unit = {},
    val cancel: () -> Unit = {},
    val mode: (VoiceMode) -> Unit = {},
    val strength: (Double) -> Unit = {},
    val play: (FileUiState.Version) -> Unit = {},
    val stopPlayback: () -> Unit = {},
    val save: () -> Unit = {},
    val back: () -> Unit = {},
)

@Composable
fun AudioFilesScreen(state: FileUiState, actions: FileActions) {
    Column(
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(10.dp),
    ) {
        Row(verticalAlignment = Alignment.CenterVertically) {
            TextButton(onClick = actions.back) { Text("Back") }
            Text("Audio files", style = MaterialTheme.typography.titleLarge)
        }
        Button(onClick = actions.pick, enabled = !state.busy(), modifier = Modifier.fillMaxWidth()) { Text("Choose a file") }
        if (state.phase() == FileUiState.Phase.EMPTY) {
            Text("Pick a recording (WAV, MP3, M4A, Ogg, FLAC…). The original is never changed; the cleaned version is saved as a copy.")
        }
        state.fileName()?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
        state.summary()?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
        state.error()?.let { Text(it, color = WarningColor, modifier = Modifier.testTag("error")) }
        state.note()?.let { Text(it, style = MaterialTheme.typography.bodySmall, modifier = Modifier.testTag("note")) }
        if (state.busy()) {
            val what = when (state.phase()) {
                FileUiState.Phase.DECODING -> "Reading"
                FileUiState.Phase.DENOISING -> "Denoising"
                else -> "Saving"
            }
            Text(String.format(Locale.ROOT, "%s… %.0f %%", what, 100 * state.progress()))
            LinearProgressIndicator(progress = { state.progress().toFloat() }, modifier = Modifier.fillMaxWidth())
            if (state.phase() != FileUiState.Phase.SAVING) {
                OutlinedButton(onClick = actions.cancel) { Text("Cancel") }
            }
        }
        val loaded = state.phase() == FileUiState.Phase.READY || state.phase() == FileUiState.Phase.DENOISED
        if (loaded) {
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                for (m in listOf(VoiceMode.NEURAL, VoiceMode.CLASSIC)) {
                    FilterChip(selected = state.mode() == m, onClick = { actions.mode(m) }, label = { Text(m.label()) })
                }
            }
            Text(String.format(Locale.ROOT, "Strength: up to %.0f dB", state.strengthDb()))
            Slider(value = state.strengthDb().toFloat(), onValueChange = { actions.strength(it.toDouble()) },
                valueRange = 0f..40f)
            Button(onClick = actions.denoise, modifier = Modifier.fillMaxWidth()) { Text("Denoise") }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                PlayButton("A: original", state, FileUiState.Version.ORIGINAL, actions)
                if (state.phase() == FileUiState.Phase.DENOISED) {
                    PlayButton("B: denoised", state, FileUiState.Version.DENOISED, actions)
                }
            }
        }
        if (state.phase() == FileUiState.Phase.DENOISED) {
            Button(onClick = actions.save, modifier = Modifier.fillMaxWidth()) { Text("Save a copy") }
        }
        state.savedAs()?.let { Text("Saved as $it", modifier = Modifier.testTag("saved")) }
    }
}

@Composable
private fun PlayButton(label: String, state: FileUiState, version: FileUiState.Version, actions: FileActions) {
    if (state.playing() == version) {
        Button(onClick = actions.stopPlayback) { Text("■ $label") }
    } else {
        OutlinedButton(onClick = { actions.play(version) }) { Text("▶ $label") }
    }
}
