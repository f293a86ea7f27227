package dev.denoise.android.maven;

import com.android.tools.profgen.ArtProfile;
import com.android.tools.profgen.ArtProfileKt;
import com.android.tools.profgen.ArtProfileSerializer;
import com.android.tools.profgen.DexFile;
import com.android.tools.profgen.DexFileParserKt;
import com.android.tools.profgen.HumanReadableProfile;
import com.android.tools.profgen.HumanReadableProfileKt;
import com.android.tools.profgen.ObfuscationMap;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a human-readable baseline profile ({@code baseline-prof.txt}: {@code HSP} flags and
 * class/method descriptors with wildcards) against the APK's dex files into what
 * ProfileInstaller copies to ART: {@code assets/dexopt/baseline.prof} (format 0.1.0, read by
 * Android 9 and later) and {@code assets/dexopt/baseline.profm} (metadata 0.0.2). The compiler is
 * {@code com.android.tools.profgen} from the Android Gradle plugin jar, the same code AGP runs.
 */
final class BaselineProfile {
    static final String PROF = "assets/dexopt/baseline.prof";
    static final String PROFM = "assets/dexopt/baseline.profm";

    private BaselineProfile() {
    }

    /**
     * @param dexByName the APK's dex files by entry name ({@code classes.dex}, ...), in APK order
     * @return entry name → bytes for {@link #PROF} and {@link #PROFM}
     * @throws IOException when a rule does not parse (the message names the line)
     */
    static Map<String, byte[]> compile(File rules, Map<String, byte[]> dexByName) throws IOException {
        List<String> errors = new ArrayList<>();
        HumanReadableProfile hrp = HumanReadableProfileKt.HumanReadableProfile(rules, errors::add);
        if (!errors.isEmpty() || hrp == null) {
            throw new IOException(rules + ": " + String.join("; ", errors));
        }
        List<DexFile> dexes = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : dexByName.entrySet()) {
            dexes.add(DexFileParserKt.parseDexFile(e.getValue(), e.getKey()));
        }
        ArtProfile profile = ArtProfileKt.ArtProfile(hrp, ObfuscationMap.Companion.getEmpty(), dexes, "");
        Map<String, byte[]> out = new LinkedHashMap<>();
        ByteArrayOutputStream prof = new ByteArrayOutputStream();
        profile.save(prof, ArtProfileSerializer.V0_1_0_P);
        out.put(PROF, prof.toByteArray());
        ByteArrayOutputStream profm = new ByteArrayOutputStream();
        profile.save(profm, ArtProfileSerializer.METADATA_0_0_2);
        out.put(PROFM, profm.toByteArray());
        return out;
    }
}
