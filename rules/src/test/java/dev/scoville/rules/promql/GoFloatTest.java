package dev.scoville.rules.promql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expected strings are what Go 1.19's strconv.FormatFloat and fmt print for the same values. */
class GoFloatTest {
  @Test
  void sampleValuesAsPrometheusJsonWritesThem() {
    assertThat(GoFloat.sampleValue(1764547200.5)).isEqualTo("1764547200.5");
    assertThat(GoFloat.sampleValue(1.7e308)).isEqualTo("1.7e+308");
    assertThat(GoFloat.sampleValue(1e-300)).isEqualTo("1e-300");
    assertThat(GoFloat.sampleValue(1e-7)).isEqualTo("1e-07");
    assertThat(GoFloat.sampleValue(1e21)).isEqualTo("1e+21");
    assertThat(GoFloat.sampleValue(1e20)).isEqualTo("100000000000000000000");
    assertThat(GoFloat.sampleValue(-0.0)).isEqualTo("-0");
    assertThat(GoFloat.sampleValue(0.35034999999999994)).isEqualTo("0.35034999999999994");
    assertThat(GoFloat.sampleValue(Double.NaN)).isEqualTo("NaN");
    assertThat(GoFloat.sampleValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void formatsGLikeGoWithAndWithoutPrecision() {
    assertThat(GoFloat.format(1e6, 'g', -1)).isEqualTo("1e+06");
    assertThat(GoFloat.format(123456, 'g', -1)).isEqualTo("123456");
    assertThat(GoFloat.format(1234567, 'g', -1)).isEqualTo("1.234567e+06");
    assertThat(GoFloat.format(0.0001, 'g', -1)).isEqualTo("0.0001");
    assertThat(GoFloat.format(0.00001, 'g', -1)).isEqualTo("1e-05");
    assertThat(GoFloat.format(1, 'g', 4)).isEqualTo("1");
    assertThat(GoFloat.format(1234.5, 'g', 4)).isEqualTo("1234");
    assertThat(GoFloat.format(12345, 'g', 4)).isEqualTo("1.234e+04");
    assertThat(GoFloat.format(16.666666666666668, 'g', 4)).isEqualTo("16.67");
    assertThat(GoFloat.format(0, 'g', 4)).isEqualTo("0");
    assertThat(GoFloat.format(100, 'g', 4)).isEqualTo("100");
    assertThat(GoFloat.format(0.000123456, 'g', 4)).isEqualTo("0.0001235");
  }

  @Test
  void formatsEAndF() {
    assertThat(GoFloat.format(1234.5678, 'f', 2)).isEqualTo("1234.57");
    assertThat(GoFloat.format(2.5, 'f', 0)).isEqualTo("2");
    assertThat(GoFloat.format(1234.5678, 'e', 3)).isEqualTo("1.235e+03");
    assertThat(GoFloat.format(0, 'e', -1)).isEqualTo("0e+00");
    assertThat(GoFloat.format(-1.5e-10, 'f', -1)).isEqualTo("-0.00000000015");
  }
}
