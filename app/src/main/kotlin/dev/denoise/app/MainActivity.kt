package dev.denoise.app

import android.Manifest
import android.content.Intent
import android.net.Uri
import android.os.Build
import android.os.Bundle
import android.provider.OpenableColumns
import android.provider.Settings
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import dev.denoise.app.files.FileDenoiseController
import dev.denoise.app.files.FileUiState
import dev.denoise.app.platform.CodecDecoder
import dev.denoise.app.voice.LiveUiState
import dev.denoise.app.voice.LiveVoiceController
import kotlinx.coroutines.delay

/** Launcher activity: hosts the Compose UI and the system dialogs (permission, file picker). */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = DenoiseApp.of(this)
        setContent {
            MaterialTheme {
                Surface(modifier = Modifier.fillMaxSize()) {
                    AppRoot(this, app.live(), app.files())
                }
            }
        }
    }
}

@Composable
fun AppRoot(activity: ComponentActivity, live: LiveVoiceController, files: FileDenoiseController) {
    var screen by rememberSaveable { mutableStateOf(Screen.HOME) }
    BackHandler(enabled = screen != Screen.HOME) { screen = Screen.HOME }
    when (screen) {
        Screen.HOME -> HomeScreen(onLive = { screen = Screen.LIVE }, onFiles = { screen = Screen.FILES })
        Screen.LIVE -> LiveRoute(activity, live) { screen = Screen.HOME }
        Screen.FILES -> FilesRoute(activity, files, live) { screen = Screen.HOME }
    }
}

/** What live voice asks for: the microphone, and on Android 13+ notifications for the service. */
private fun livePermissions(): Array<String> =
    if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
        arrayOf(Manifest.permission.RECORD_AUDIO, Manifest.permission.POST_NOTIFICATIONS)
    } else {
        arrayOf(Manifest.permission.RECORD_AUDIO)
    }

@Composable
private fun LiveRoute(activity: ComponentActivity, live: LiveVoiceController, back: () -> Unit) {
    var state by remember { mutableStateOf(live.state()) }
    DisposableEffect(live) {
        live.setListener { state = it }
        onDispose { live.setListener(null) }
    }
    // The microphone is required; notifications (Android 13+) are asked in the same dialog so the
    // foreground service's Stop notification is visible, but refusing them does not stop live voice.
    val permission = rememberLauncherForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { results ->
        live.onPermissionResult(results[Manifest.permission.RECORD_AUDIO] == true,
            activity.shouldShowRequestPermissionRationale(Manifest.permission.RECORD_AUDIO))
    }
    LaunchedEffect(state.phase()) {
        if (state.phase() == LiveUiState.Phase.REQUESTING_PERMISSION) {
            permission.launch(livePermissions())
        }
    }
    LaunchedEffect(state.running()) {
        while (state.running()) {
            live.tick()
            delay(100)
        }
    }
    LiveVoiceScreen(state, LiveActions(
        start = live::start,
        stop = live::stop,
        mode = live::setMode,
        strength = live::setStrength,
        delegate = live::setDelegate,
        monitor = live::setMonitor,
        record = live::setRecord,
        requestPermission = { permission.launch(livePermissions()) },
        dismissPermission = live::dismissPermission,
        openSettings = {
            activity.startActivity(Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS,
                Uri.fromParts("package", activity.packageName, null)))
        },
        back = back,
    ))
}

@Composable
private fun FilesRoute(activity: ComponentActivity, files: FileDenoiseController, live: LiveVoiceController, back: () -> Unit) {
    var state by remember { mutableStateOf(files.state()) }
    DisposableEffect(files) {
        files.setListener { state = it }
        onDispose { files.setListener(null) }
    }
    val picker = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri ->
        if (uri != null) {
            files.open(CodecDecoder.UriSource(activity.contentResolver, uri, displayName(activity, uri)))
        }
    }
    AudioFilesScreen(state, FileActions(
        pick = { picker.launch(arrayOf("audio/*")) },
        denoise = { files.denoise(live.state().delegate()) },
        cancel = files::cancel,
        mode = files::setMode,
        strength = files::setStrength,
        play = { v: FileUiState.Version -> files.play(v) },
        stopPlayback = files::stopPlayback,
        save = files::save,
        back = { files.stopPlayback(); back() },
    ))
}

private fun displayName(activity: ComponentActivity, uri: Uri): String {
    activity.contentResolver.query(uri, arrayOf(OpenableColumns.DISPLAY_NAME), null, null, null)?.use { c ->
        if (c.moveToFirst() && !c.isNull(0)) return c.getString(0)
    }
    return uri.lastPathSegment ?: "audio"
}
