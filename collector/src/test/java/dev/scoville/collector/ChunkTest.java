package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkTest {

  @Test
  void bitStreamReadsBackEveryWidthAcrossWordBoundaries() {
    Random random = new Random(7);
    BitOutput out = new BitOutput(1);
    List<long[]> written = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      int width = 1 + random.nextInt(64);
      long value = random.nextLong();
      out.write(value, width);
      written.add(new long[] {value, width});
    }
    BitInput in = new BitInput(out.copyWords());
    for (long[] entry : written) {
      int width = (int) entry[1];
      long expected = width == 64 ? entry[0] : entry[0] & ((1L << width) - 1);
      assertThat(in.read(width)).isEqualTo(expected);
    }
  }

  @Test
  void unaryPrefixesReadBackAtEveryOffsetAcrossWordBoundaries() {
    Random random = new Random(11);
    BitOutput out = new BitOutput(1);
    List<int[]> written = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      int max = 1 + random.nextInt(6);
      int ones = random.nextInt(max + 1);
      // ones below the maximum end with a zero; the maximum stands alone
      if (ones < max) {
        out.write(((1L << ones) - 1) << 1, ones + 1);
      } else {
        out.write((1L << ones) - 1, ones);
      }
      int width = 1 + random.nextInt(64);
      long value = random.nextLong();
      out.write(value, width);
      written.add(new int[] {max, ones, width, (int) value});
    }
    BitInput in = new BitInput(out.copyWords());
    for (int[] entry : written) {
      assertThat(in.readOnes(entry[0])).isEqualTo(entry[1]);
      long read = in.read(entry[2]);
      assertThat((int) read).isEqualTo(entry[2] >= 32 ? entry[3] : entry[3] & (int) ((1L << entry[2]) - 1));
    }
  }

  @Test
  void keepsTrickyValuesBitForBit() {
    double[] values = {
      Double.NaN,
      Sample.STALE_NAN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      -0.0,
      0.0,
      -1.5,
      Double.MIN_VALUE,
      -Double.MAX_VALUE,
      Double.MAX_VALUE,
      Double.longBitsToDouble(0x7ff8dead_beef0001L),
      42,
      42,
      -123456.789,
      1e-300
    };
    long[] timestamps = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      timestamps[i] = 1_700_000_000_000L + i * 15_000L;
    }
    assertRoundTrip(timestamps, values);
  }

  @Test
  void keepsHugeAndIrregularTimestampDeltas() {
    long[] timestamps = {
      Long.MIN_VALUE,
      Long.MIN_VALUE + 1,
      -1_000_000_000_000L,
      -1,
      0,
      1,
      15_000,
      30_001,
      44_998,
      45_000,
      45_000 + (1L << 13),
      45_000 + (1L << 20),
      45_000 + (1L << 40),
      Long.MAX_VALUE - 1,
      Long.MAX_VALUE
    };
    double[] values = new double[timestamps.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 2 == 0 ? -i : i * 1.25;
    }
    assertRoundTrip(timestamps, values);
  }

  @Test
  void keepsRandomSamplesOfEveryKind() {
    Random random = new Random(42);
    int n = ChunkAppender.MAX_SAMPLES;
    long[] timestamps = new long[n];
    double[] values = new double[n];
    long t = 1_700_000_000_000L;
    for (int i = 0; i < n; i++) {
      t +=
          1
              + switch (i % 4) {
                case 0 -> 15_000 + random.nextInt(5);
                case 1 -> random.nextInt(100_000);
                case 2 -> random.nextInt(1 << 25);
                default -> 15_000;
              };
      timestamps[i] = t;
      values[i] =
          switch (i % 5) {
            case 0 -> random.nextDouble();
            case 1 -> Double.longBitsToDouble(random.nextLong());
            case 2 -> random.nextInt(100);
            case 3 -> -random.nextGaussian() * 1e9;
            default -> values[Math.max(0, i - 1)];
          };
    }
    assertRoundTrip(timestamps, values);
  }

  @Test
  void keepsDecimalValuesExactlyWhateverTheirScale() {
    Random random = new Random(3);
    int n = 1_000;
    long[] timestamps = new long[n];
    double[] values = new double[n];
    double ratio = 0.5;
    for (int i = 0; i < n; i++) {
      timestamps[i] = 1_700_000_000_000L + i * 15_000L;
      ratio = Math.round((ratio + random.nextGaussian() * 0.02) * 100) / 100.0;
      values[i] =
          switch (i % 10) {
            case 0 -> Math.round(random.nextGaussian() * 1e4) / 1000.0;
            case 1 -> 0.1 + 0.2;
            case 2 -> 9_007_199_254_740_991.0 - random.nextInt(3);
            case 3 -> -ratio;
            case 4 -> i % 20 == 4 ? -0.0 : 0.0;
            case 5 -> i % 20 == 5 ? Sample.STALE_NAN : 12.5;
            default -> ratio;
          };
    }
    for (int chunk = 0; chunk < n; chunk += ChunkAppender.MAX_SAMPLES) {
      int end = Math.min(n, chunk + ChunkAppender.MAX_SAMPLES);
      assertRoundTrip(
          Arrays.copyOfRange(timestamps, chunk, end), Arrays.copyOfRange(values, chunk, end));
    }
  }

  @Test
  void keepsRandomMixesOfEveryValueCodeAcrossManyChunks() {
    Random random = new Random(11);
    for (int round = 0; round < 300; round++) {
      int n = 1 + random.nextInt(ChunkAppender.MAX_SAMPLES);
      long[] timestamps = new long[n];
      double[] values = new double[n];
      long t = random.nextLong() >> 20;
      double previous = 0;
      for (int i = 0; i < n; i++) {
        t += 1 + (random.nextBoolean() ? 15_000 + random.nextInt(9) : random.nextInt(1 << 20));
        timestamps[i] = t;
        previous =
            switch (random.nextInt(7)) {
              case 0 -> previous;
              case 1 -> previous + random.nextInt(1_000);
              case 2 -> Math.round(previous * 100 + random.nextInt(21) - 10) / 100.0;
              case 3 -> random.nextInt(1 << 20) / 1000.0;
              case 4 -> Double.longBitsToDouble(random.nextLong());
              case 5 -> random.nextBoolean() ? Sample.STALE_NAN : -0.0;
              default -> random.nextGaussian() * 1e6;
            };
        values[i] = previous;
      }
      assertRoundTrip(timestamps, values);
    }
  }

  @Test
  void compressesTwoDecimalGaugesFarBelowTheirXor() {
    ChunkAppender appender = new ChunkAppender();
    Random random = new Random(5);
    double ratio = 0.5;
    for (int i = 0; i < ChunkAppender.MAX_SAMPLES; i++) {
      ratio = Math.round((ratio + random.nextGaussian() * 0.02) * 100) / 100.0;
      appender.add(1_700_000_000_000L + i * 15_000L, ratio);
    }
    assertThat(appender.bytes()).isLessThan(ChunkAppender.MAX_SAMPLES * 2L);
  }

  @Test
  void compressesRegularCounterSamplesToAFewBitsEach() {
    ChunkAppender appender = new ChunkAppender();
    for (int i = 0; i < ChunkAppender.MAX_SAMPLES; i++) {
      appender.add(1_700_000_000_000L + i * 15_000L, 1000 + i);
    }
    assertThat(appender.bytes()).isLessThan(ChunkAppender.MAX_SAMPLES * 2L);
  }

  private static void assertRoundTrip(long[] timestamps, double[] values) {
    ChunkAppender appender = new ChunkAppender();
    for (int i = 0; i < timestamps.length; i++) {
      appender.add(timestamps[i], values[i]);
    }
    Chunk chunk = appender.toChunk();
    ChunkIterator it = chunk.iterator();
    for (int i = 0; i < timestamps.length; i++) {
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).as("timestamp %d", i).isEqualTo(timestamps[i]);
      assertThat(Double.doubleToRawLongBits(it.value()))
          .as("value %d (%s)", i, values[i])
          .isEqualTo(Double.doubleToRawLongBits(values[i]));
    }
    assertThat(it.next()).isFalse();
    assertThat(chunk.count()).isEqualTo(timestamps.length);
    assertThat(chunk.minTime()).isEqualTo(timestamps[0]);
    assertThat(chunk.maxTime()).isEqualTo(timestamps[timestamps.length - 1]);
  }
}
