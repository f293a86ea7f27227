package dev.denoise.android.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LockMojoTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "1.7.6; 1.7.6",
        "[1.6.0]; 1.6.0",
        "[1.0,2.0); 1.0",
        "(1.2, ]; 1.2",
    })
    void versionSpecGivesItsLowerBound(String spec, String expected) {
        assertEquals(expected, LockMojo.lowerBound(spec));
    }
}
