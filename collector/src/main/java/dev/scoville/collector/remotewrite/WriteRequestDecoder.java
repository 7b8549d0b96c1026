package dev.scoville.collector.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads remote write 1.0's {@code prometheus.WriteRequest} (prompb/remote.proto and types.proto)
 * straight off the wire with protobuf's {@link CodedInputStream}: five fields are all Scoville
 * reads, which does not justify generated classes and a protoc step in the build.
 *
 * <p>A series with invalid labels is refused on its own, named by its index and labels, and the
 * others are kept. Exemplars, native histograms and metadata are skipped and counted.
 */
final class WriteRequestDecoder {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  /** WriteRequest: 1 timeseries, 3 metadata. */
  private static final int TIMESERIES = 1;
  /** TimeSeries: 1 labels, 2 samples, 3 exemplars, 4 histograms. */
  private static final int LABELS = 1;
  private static final int SAMPLES = 2;
  private static final int HISTOGRAMS = 4;
  /** Label: 1 name, 2 value. Sample: 1 value (double), 2 timestamp (int64, milliseconds). */
  private static final int NAME = 1;
  private static final int VALUE = 2;
  private static final int SAMPLE_VALUE = 1;
  private static final int SAMPLE_TIMESTAMP = 2;

  /** What one request held: the samples to store, and the series refused with why. */
  record Decoded(List<Sample> samples, List<String> refused, int histogramsSkipped) {}

  /** Throws {@link IOException} when the body is not a WriteRequest at all. */
  Decoded decode(byte[] body) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(body);
    List<Sample> samples = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int histograms = 0;
    int seriesIndex = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) != TIMESERIES) {
        in.skipField(tag);
        continue;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      histograms += readSeries(in, seriesIndex++, samples, refused);
      in.popLimit(limit);
    }
    return new Decoded(samples, refused, histograms);
  }

  /** Appends the series' samples, or a refusal; returns the native histograms skipped. */
  private static int readSeries(CodedInputStream in, int index, List<Sample> samples, List<String> refused)
      throws IOException {
    List<String> pairs = new ArrayList<>();
    long[] times = new long[8];
    double[] values = new double[8];
    int count = 0;
    int histograms = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case LABELS -> {
          int limit = in.pushLimit(in.readRawVarint32());
          readLabel(in, pairs);
          in.popLimit(limit);
        }
        case SAMPLES -> {
          int limit = in.pushLimit(in.readRawVarint32());
          if (count == times.length) {
            times = Arrays.copyOf(times, count * 2);
            values = Arrays.copyOf(values, count * 2);
          }
          readSample(in, times, values, count++);
          in.popLimit(limit);
        }
        case HISTOGRAMS -> {
          histograms++;
          in.skipField(tag);
        }
        default -> in.skipField(tag);
      }
    }
    String problem = problem(pairs);
    if (problem != null) {
      refused.add("timeseries[" + index + "] " + pairs + ": " + problem);
      return histograms;
    }
    Labels labels = Labels.fromMap(toMap(pairs));
    for (int i = 0; i < count; i++) {
      samples.add(new Sample(labels, times[i], values[i]));
    }
    return histograms;
  }

  private static void readLabel(CodedInputStream in, List<String> pairs) throws IOException {
    String name = "";
    String value = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case NAME -> name = in.readStringRequireUtf8();
        case VALUE -> value = in.readStringRequireUtf8();
        default -> in.skipField(tag);
      }
    }
    pairs.add(name);
    pairs.add(value);
  }

  private static void readSample(CodedInputStream in, long[] times, double[] values, int at) throws IOException {
    times[at] = 0;
    values[at] = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case SAMPLE_VALUE -> values[at] = in.readDouble();
        case SAMPLE_TIMESTAMP -> times[at] = in.readInt64();
        default -> in.skipField(tag);
      }
    }
  }

  /** Why Prometheus would refuse these labels, or null. */
  private static String problem(List<String> pairs) {
    String metric = null;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      String name = pairs.get(i);
      if (!seen.add(name)) {
        return "duplicate label name \"" + name + "\"";
      }
      if (name.equals(Labels.METRIC_NAME)) {
        metric = pairs.get(i + 1);
      } else if (!LABEL_NAME.matcher(name).matches()) {
        return "invalid label name \"" + name + "\"";
      }
    }
    if (metric == null || metric.isEmpty()) {
      return "no metric name (label __name__)";
    }
    if (!METRIC_NAME.matcher(metric).matches()) {
      return "invalid metric name \"" + metric + "\"";
    }
    return null;
  }

  private static Map<String, String> toMap(List<String> pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      map.put(pairs.get(i), pairs.get(i + 1));
    }
    return map;
  }
}
