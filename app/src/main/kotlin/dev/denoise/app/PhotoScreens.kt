package dev.denoise.app

import android.graphics.Bitmap
import androidx.compose.foundation.Canvas
import androidx.compose.foundation.background
import androidx.compose.foundation.gestures.detectHorizontalDragGestures
import androidx.compose.foundation.gestures.detectTapGestures
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
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
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableFloatStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.FilterQuality
import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.graphics.drawscope.clipRect
import androidx.compose.ui.input.pointer.pointerInput
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.unit.IntOffset
import androidx.compose.ui.unit.IntSize
import androidx.compose.ui.unit.dp
import dev.denoise.app.models.DelegateChoice
import dev.denoise.app.photos.CameraUiState
import dev.denoise.app.photos.Orientation
import dev.denoise.app.photos.PhotoUiState
import dev.denoise.core.image.PixelConversions
import dev.denoise.core.image.PlanarImage
import java.util.Locale

private val PhotoWarning = Color(0xFFB3261E)

/** What the photo screen can ask for; every action defaults to nothing (previews, tests). */
data class PhotoActions(
    val pick: () -> Unit = {},
    val camera: () -> Unit = {},
    val denoise: () -> Unit = {},
    val cancel: () -> Unit = {},
    val method: (PhotoUiState.Method) -> Unit = {},
    val delegate: (DelegateChoice) -> Unit = {},
    val autoStrength: (Boolean) -> Unit = {},
    val strength: (Double) -> Unit = {},
    val zoomAt: (Double, Double) -> Unit = { _, _ -> },
    val zoomOut: () -> Unit = {},
    val save: () -> Unit = {},
    val share: () -> Unit = {},
    val back: () -> Unit = {},
)

/** A preview turned and mirrored for display by its EXIF orientation (1–8), as an ImageBitmap. */
fun displayBitmap(image: PlanarImage, exifOrientation: Int): ImageBitmap {
    val w = image.width()
    val h = image.height()
    val shown = Orientation.toDisplay(PixelConversions.toArgb(image), w, h, exifOrientation)
    return Bitmap.createBitmap(shown, Orientation.displayWidth(w, h, exifOrientation),
        Orientation.displayHeight(w, h, exifOrientation), Bitmap.Config.ARGB_8888).asImageBitmap()
}

@Composable
fun PhotoScreen(state: PhotoUiState, actions: PhotoActions) {
    Column(
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(10.dp),
    ) {
        Row(verticalAlignment = Alignment.CenterVertically) {
            TextButton(onClick = actions.back) { Text("Back") }
            Text("Photos", style = MaterialTheme.typography.titleLarge)
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = actions.pick, enabled = !state.busy()) { Text("Choose a photo") }
            OutlinedButton(onClick = actions.camera, enabled = !state.busy()) { Text("Take a photo") }
        }
        if (state.phase() == PhotoUiState.Phase.EMPTY) {
            Text("Pick a photo (JPEG, PNG, HEIC, up to 50 MP) or take one. The original is never changed; the cleaned version is saved as a copy in Pictures/Denoised.")
        }
        state.fileName()?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
        state.summary()?.let { Text(it, style = MaterialTheme.typography.bodySmall, modifier = Modifier.testTag("summary")) }
        state.noise()?.let { Text("Noise: ${it.describe()}", style = MaterialTheme.typography.bodySmall, modifier = Modifier.testTag("noise")) }
        state.error()?.let { Text(it, color = PhotoWarning, modifier = Modifier.testTag("error")) }
        state.note()?.let { Text(it, style = MaterialTheme.typography.bodySmall, modifier = Modifier.testTag("note")) }
        if (state.busy()) {
            Text(String.format(Locale.ROOT, "%s… %.0f %%", state.stage() ?: "Working", 100 * state.progress()),
                modifier = Modifier.testTag("progress"))
            LinearProgressIndicator(progress = { state.progress().toFloat() }, modifier = Modifier.fillMaxWidth())
            OutlinedButton(onClick = actions.cancel) { Text("Cancel") }
        }
        val original = state.original()
        if (original != null) {
            val zoom = state.zoom()
            if (zoom != null) {
                Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Text("100 % — drag the divider to compare")
                    TextButton(onClick = actions.zoomOut) { Text("Fit") }
                }
                val before = remember(zoom) { displayBitmap(zoom.original(), state.orientation()) }
                val after = remember(zoom) { displayBitmap(zoom.denoised(), state.orientation()) }
                Box(Modifier.fillMaxWidth().horizontalScroll(rememberScrollState())) {
                    CompareView(before, after, pixelExact = true, onTap = null)
                }
            } else {
                val before = remember(original, state.orientation()) { displayBitmap(original, state.orientation()) }
                val denoised = state.denoised()
                val after = remember(denoised, state.orientation()) { denoised?.let { displayBitmap(it, state.orientation()) } }
                CompareView(before, after, pixelExact = false,
                    onTap = if (after != null && !state.busy()) actions.zoomAt else null)
                if (after != null) {
                    Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        Text("Left: original · right: denoised. Tap to see 100 %.", style = MaterialTheme.typography.bodySmall,
                            modifier = Modifier.weight(1f))
                        TextButton(onClick = { actions.zoomAt(0.5, 0.5) }, enabled = !state.busy()) { Text("100 %") }
                    }
                }
            }
        }
        val loaded = state.phase() == PhotoUiState.Phase.READY || state.phase() == PhotoUiState.Phase.DENOISED
        if (loaded) {
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                for (m in PhotoUiState.Method.entries) {
                    FilterChip(selected = state.method() == m, onClick = { actions.method(m) }, label = { Text(m.label()) })
                }
            }
            if (state.method() == PhotoUiState.Method.NEURAL) {
                Row(horizontalArrangement = Arrangement.spacedBy(6.dp), modifier = Modifier.horizontalScroll(rememberScrollState())) {
                    for (d in DelegateChoice.entries) {
                        FilterChip(selected = state.delegate() == d, onClick = { actions.delegate(d) }, label = { Text(d.label()) })
                    }
                }
            }
            Row(verticalAlignment = Alignment.CenterVertically, modifier = Modifier.fillMaxWidth()) {
                Text("Auto strength (calibrated on the photo)", modifier = Modifier.weight(1f))
                Switch(checked = state.autoStrength(), onCheckedChange = actions.autoStrength,
                    modifier = Modifier.semantics { contentDescription = "Auto strength" })
            }
            Text(if (state.autoStrength() && state.phase() != PhotoUiState.Phase.DENOISED) "Strength: Auto"
                 else String.format(Locale.ROOT, "Strength: %.2f%s", state.strength(), if (state.autoStrength()) " (Auto)" else ""),
                modifier = Modifier.testTag("strength"))
            Slider(value = state.strength().toFloat(), onValueChange = { actions.strength(it.toDouble()) },
                valueRange = 0f..PhotoUiState.MAX_STRENGTH.toFloat(),
                modifier = Modifier.semantics { contentDescription = "Strength" })
            Button(onClick = actions.denoise, modifier = Modifier.fillMaxWidth()) { Text("Denoise") }
        }
        if (state.phase() == PhotoUiState.Phase.DENOISED) {
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = actions.save) { Text("Save a copy") }
                if (state.savedUri() != null) {
                    OutlinedButton(onClick = actions.share) { Text("Share") }
                }
            }
        }
        state.savedAs()?.let { Text("Saved as $it", modifier = Modifier.testTag("saved")) }
    }
}

/**
 * Before/after split view: the denoised photo with the original drawn left of a draggable
 * divider. Fitted to the width, or at 100 % ({@code pixelExact}: one photo pixel per screen pixel).
 * A tap reports the point as fractions of the displayed photo.
 */
@Composable
fun CompareView(before: ImageBitmap, after: ImageBitmap?, pixelExact: Boolean, onTap: ((Double, Double) -> Unit)?) {
    var split by remember { mutableFloatStateOf(0.5f) }
    val density = LocalDensity.current
    val sizeModifier = if (pixelExact) {
        with(density) { Modifier.size(before.width.toDp(), before.height.toDp()) }
    } else {
        Modifier.fillMaxWidth().aspectRatio(before.width / before.height.toFloat())
    }
    var modifier = sizeModifier.background(Color.Black).testTag("compare")
        .semantics {
            contentDescription = if (after == null) "Original photo" else "Before and after"
            if (after != null) stateDescription = String.format(Locale.ROOT, "divider at %.0f %%", 100 * split)
        }
    if (after != null) {
        modifier = modifier.pointerInput(Unit) {
            detectHorizontalDragGestures { change, dragAmount ->
                change.consume()
                split = (split + dragAmount / size.width).coerceIn(0f, 1f)
            }
        }
    }
    if (onTap != null) {
        modifier = modifier.pointerInput(onTap) {
            detectTapGestures { o: Offset -> onTap((o.x / size.width).toDouble(), (o.y / size.height).toDouble()) }
        }
    }
    Canvas(modifier) {
        val dst = IntSize(size.width.toInt(), size.height.toInt())
        val quality = if (pixelExact) FilterQuality.None else FilterQuality.Low
        if (after == null) {
            drawImage(before, dstOffset = IntOffset.Zero, dstSize = dst, filterQuality = quality)
            return@Canvas
        }
        drawImage(after, dstOffset = IntOffset.Zero, dstSize = dst, filterQuality = quality)
        val x = split * size.width
        clipRect(right = x) {
            drawImage(before, dstOffset = IntOffset.Zero, dstSize = dst, filterQuality = quality)
        }
        drawLine(Color.White, Offset(x, 0f), Offset(x, size.height), strokeWidth = 3.dp.toPx())
        drawCircle(Color.White, radius = 10.dp.toPx(), center = Offset(x, size.height / 2))
    }
}

/** What the camera screen can ask for. */
data class CameraActions(
    val capture: () -> Unit = {},
    val requestPermission: () -> Unit = {},
    val openSettings: () -> Unit = {},
    val back: () -> Unit = {},
)

/**
 * The camera: a preview (the {@code preview} slot: a TextureView on a phone) at
 * {@code previewAspect} (width / height as shown, portrait) and a shutter.
 */
@Composable
fun CameraScreen(state: CameraUiState, actions: CameraActions, previewAspect: Float = 3f / 4f,
                 preview: @Composable () -> Unit) {
    Column(
        modifier = Modifier.fillMaxSize().padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(10.dp),
    ) {
        Row(verticalAlignment = Alignment.CenterVertically) {
            TextButton(onClick = actions.back) { Text("Back") }
            Text("Camera", style = MaterialTheme.typography.titleLarge)
        }
        when (state.phase()) {
            CameraUiState.Phase.PERMISSION_RATIONALE -> Card {
                Column(Modifier.padding(12.dp)) {
                    Text("Camera needed", style = MaterialTheme.typography.titleMedium)
                    Text("Taking a photo here lets the app read the camera's own noise measurements, so it knows how much to remove. Photos stay on this phone.")
                    Row {
                        Button(onClick = actions.requestPermission) { Text("Allow camera") }
                        TextButton(onClick = actions.back) { Text("Not now") }
                    }
                }
            }
            CameraUiState.Phase.PERMISSION_DENIED -> Card {
                Column(Modifier.padding(12.dp)) {
                    Text("Camera access denied", style = MaterialTheme.typography.titleMedium, color = PhotoWarning)
                    Text("Allow it in Settings → Apps → Denoiser → Permissions. Photos from the gallery still work.")
                    Button(onClick = actions.openSettings) { Text("Open settings") }
                }
            }
            CameraUiState.Phase.ERROR ->
                Text("Camera unavailable: ${state.error()}", color = PhotoWarning, modifier = Modifier.testTag("error"))
            else -> {
                Box(Modifier.fillMaxWidth().aspectRatio(previewAspect).background(Color.Black).testTag("preview")) { preview() }
                val ready = state.phase() == CameraUiState.Phase.READY
                Button(onClick = actions.capture, enabled = ready, modifier = Modifier.fillMaxWidth().height(56.dp)) {
                    Text(when (state.phase()) {
                        CameraUiState.Phase.CAPTURING -> "Taking the photo…"
                        CameraUiState.Phase.READY -> "Take photo"
                        else -> "Starting the camera…"
                    })
                }
            }
        }
    }
}
