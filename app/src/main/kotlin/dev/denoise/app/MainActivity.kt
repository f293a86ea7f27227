package dev.denoise.app

import android.Manifest
import android.content.Intent
import android.content.pm.PackageManager
import android.graphics.SurfaceTexture
import android.view.TextureView
import android.net.Uri
import android.os.Build
import android.os.Bundle
import android.provider.OpenableColumns
import android.provider.Settings
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.compose.setContent
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import dev.denoise.app.photos.CameraNoiseMetadata
import dev.denoise.app.photos.CameraSource
import dev.denoise.app.photos.CameraUiState
import dev.denoise.app.photos.PhotoDenoiseController
import dev.denoise.app.platform.UriPhotoSource
import java.util.Locale
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableFloatStateOf
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
                    AppRoot(this, app.live(), app.files(), app.photos())
                }
            }
        }
    }
}

@Composable
fun AppRoot(activity: ComponentActivity, live: LiveVoiceController, files: FileDenoiseController,
            photos: PhotoDenoiseController) {
    var screen by rememberSaveable { mutableStateOf(Screen.HOME) }
    BackHandler(enabled = screen != Screen.HOME) {
        // Leaving Photos for Home closes it (a camera capture in the cache is deleted).
        if (screen == Screen.PHOTOS) photos.close()
        screen = if (screen == Screen.CAMERA) Screen.PHOTOS else Screen.HOME
    }
    when (screen) {
        Screen.HOME -> HomeScreen(onLive = { screen = Screen.LIVE }, onFiles = { screen = Screen.FILES },
            onPhotos = { screen = Screen.PHOTOS })
        Screen.LIVE -> LiveRoute(activity, live) { screen = Screen.HOME }
        Screen.FILES -> FilesRoute(activity, files, live) { screen = Screen.HOME }
        Screen.PHOTOS -> PhotosRoute(activity, photos, openCamera = { screen = Screen.CAMERA }) { screen = Screen.HOME }
        Screen.CAMERA -> CameraRoute(activity, photos) { screen = Screen.PHOTOS }
    }
}

@Composable
private fun PhotosRoute(activity: ComponentActivity, photos: PhotoDenoiseController, openCamera: () -> Unit,
                        back: () -> Unit) {
    var state by remember { mutableStateOf(photos.state()) }
    DisposableEffect(photos) {
        photos.setListener { state = it }
        onDispose { photos.setListener(null) }
    }
    // The system photo picker (no storage permission; ACTION_OPEN_DOCUMENT where it is missing).
    val picker = rememberLauncherForActivityResult(ActivityResultContracts.PickVisualMedia()) { uri ->
        if (uri != null) {
            photos.open(UriPhotoSource(activity.contentResolver, uri, displayName(activity, uri), null))
        }
    }
    PhotoScreen(state, PhotoActions(
        pick = { picker.launch(PickVisualMediaRequest(ActivityResultContracts.PickVisualMedia.ImageOnly)) },
        camera = openCamera,
        denoise = photos::denoise,
        cancel = photos::cancel,
        method = photos::setMethod,
        delegate = photos::setDelegate,
        autoStrength = photos::setAutoStrength,
        strength = photos::setStrength,
        zoomAt = photos::zoomAt,
        zoomOut = photos::zoomOut,
        save = photos::save,
        share = photos::share,
        back = { photos.close(); back() },
    ))
}

@Composable
private fun CameraRoute(activity: ComponentActivity, photos: PhotoDenoiseController, back: () -> Unit) {
    val granted = ContextCompat.checkSelfPermission(activity, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED
    var state by remember {
        mutableStateOf(CameraUiState.of(if (granted) CameraUiState.Phase.STARTING else CameraUiState.Phase.REQUESTING_PERMISSION))
    }
    val permission = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { ok ->
        state = CameraUiState.afterPermission(ok, activity.shouldShowRequestPermissionRationale(Manifest.permission.CAMERA))
    }
    LaunchedEffect(Unit) {
        if (state.phase() == CameraUiState.Phase.REQUESTING_PERMISSION) permission.launch(Manifest.permission.CAMERA)
    }
    val camera = remember { DenoiseApp.of(activity).newCamera() }
    // The sensor's landscape preview buffer is shown upright in portrait: width / height flips.
    var previewAspect by remember { mutableFloatStateOf(3f / 4f) }
    DisposableEffect(camera) { onDispose { camera.close() } }
    val listener = remember {
        object : CameraSource.Listener {
            override fun onPreviewStarted(previewWidth: Int, previewHeight: Int) {
                previewAspect = minOf(previewWidth, previewHeight).toFloat() / maxOf(previewWidth, previewHeight)
                state = CameraUiState.of(CameraUiState.Phase.READY)
            }

            override fun onCaptured(jpeg: java.io.File, metadata: CameraNoiseMetadata?) {
                val name = "IMG_" + java.text.SimpleDateFormat("yyyyMMdd_HHmmss", Locale.ROOT).format(java.util.Date()) + ".jpg"
                photos.open(DenoiseApp.of(activity).captures().source(jpeg, name, metadata))
                back()
            }

            override fun onError(message: String) {
                state = CameraUiState.error(message)
            }
        }
    }
    CameraScreen(state, CameraActions(
        capture = {
            state = CameraUiState.of(CameraUiState.Phase.CAPTURING)
            camera.capture()
        },
        requestPermission = { permission.launch(Manifest.permission.CAMERA) },
        openSettings = {
            activity.startActivity(Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS,
                Uri.fromParts("package", activity.packageName, null)))
        },
        back = back,
    ), previewAspect) {
        if (state.phase() == CameraUiState.Phase.STARTING || state.phase() == CameraUiState.Phase.READY ||
            state.phase() == CameraUiState.Phase.CAPTURING) {
            AndroidView(factory = { context ->
                TextureView(context).apply {
                    surfaceTextureListener = object : TextureView.SurfaceTextureListener {
                        override fun onSurfaceTextureAvailable(texture: SurfaceTexture, width: Int, height: Int) {
                            camera.open(texture, listener)
                        }

                        override fun onSurfaceTextureSizeChanged(texture: SurfaceTexture, width: Int, height: Int) {}

                        override fun onSurfaceTextureDestroyed(texture: SurfaceTexture): Boolean {
                            camera.close()
                            return true
                        }

                        override fun onSurfaceTextureUpdated(texture: SurfaceTexture) {}
                    }
                }
            }, modifier = Modifier.fillMaxSize())
        }
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
