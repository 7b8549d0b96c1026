package dev.scoville.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumberParserTest {

  private static double parse(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return NumberParser.parseFloat(b, 0, b.length);
  }

  @Test
  void givesExactlyTheDoubleThatJavaGivesForRandomDecimals() {
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      String s =
          switch (i % 4) {
            case 0 -> Long.toString(random.nextLong() >> random.nextInt(64));
            case 1 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 2 ->
                random.nextInt(1_000_000)
                    + "."
                    + random.nextInt(1_000_000)
                    + "e"
                    + (random.nextInt(60) - 30);
            default -> String.format("%.9f", random.nextGaussian() * 1e6);
          };
      assertThat(parse(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
  }

  @Test
  void readsManyDigitsAndExtremeExponentsCorrectly() {
    for (String s :
        new String[] {
          "123456789012345678901234567890",
          "0.1000000000000000055511151231257827",
          "9007199254740993",
          "4.9e-324",
          "1.7976931348623157e308",
          "2.2250738585072014E-308",
          "0.000001",
          "1e-400"
        }) {
      assertThat(parse(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
  }

  @Test
  void readsGoSpellingsOfSpecialValuesAndHexFloats() {
    assertThat(parse("Inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(parse("+inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(parse("-INF")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(parse("+Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(parse("NaN")).isNaN();
    assertThat(parse("nan")).isNaN();
    assertThat(parse("0x1p-2")).isEqualTo(0.25);
    assertThat(parse("-0X1.8P1")).isEqualTo(-3.0);
    assertThat(parse("+5.")).isEqualTo(5.0);
    assertThat(parse(".5")).isEqualTo(0.5);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "+",
        "-",
        ".",
        "e1",
        "1e",
        "1e+",
        "1.2.3",
        "1d",
        "1f",
        " 1",
        "1 ",
        "Infinity1",
        "-nan",
        "+NaN",
        "0x",
        "0x1",
        "0x1.8",
        "1_000",
        "1e400",
        "-1e400",
        "0x1p99999",
        "--1",
        "1e1.5"
      })
  void rejectsWhatGoRejects(String s) {
    assertThatThrownBy(() -> parse(s)).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void convertsDecimalSecondsToMillisecondsDigitByDigit() {
    assertThat(seconds("1520879607.789")).isEqualTo(1520879607789L);
    assertThat(seconds("0.001")).isEqualTo(1L);
    assertThat(seconds("-1.5")).isEqualTo(-1500L);
    assertThat(seconds("1.2349")).isEqualTo(1234L);
    assertThat(seconds("1e3")).isEqualTo(1_000_000L);
  }

  private static long seconds(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return NumberParser.parseSecondsAsMillis(b, 0, b.length);
  }
}
