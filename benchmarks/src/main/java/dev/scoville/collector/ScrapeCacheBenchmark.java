package dev.scoville.collector;

import dev.scoville.benchmarks.ExpositionParserBenchmark;
import dev.scoville.collector.exposition.Exposition;
import dev.scoville.collector.exposition.ExpositionException;
import dev.scoville.collector.exposition.ExpositionFormat;
import dev.scoville.collector.exposition.ExpositionParser;
import dev.scoville.collector.exposition.ExpositionReader;
import dev.scoville.core.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scrape path with a warm scrape cache, next to the full parser, on the parser benchmark's
 * 10,000-series text payload. {@code warmCacheScrape} is what a scrape of known series costs
 * after the HTTP body arrived: gather through the cache, append to the store; {@code
 * warmCacheGather} the cache's reading alone; {@code parse} the full parser alone (which builds
 * every sample's labels, before any relabeling or append). The {@code samples} line is samples/s
 * per thread. Lives in the collector's package because the cache is package-private.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ScrapeCacheBenchmark -f 1 -wi 3 -i 5 -w
 * 2s -r 3s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ScrapeCacheBenchmark {
  private byte[] text;
  private SeriesStore store;
  private ScrapeCache cache;
  private long timestamp;

  /** Samples read, which JMH reports per second next to the operations. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Scraped {
    public long samples;

    @Setup(Level.Iteration)
    public void reset() {
      samples = 0;
    }
  }

  @Setup(Level.Trial)
  public void payload() {
    text = ExpositionParserBenchmark.Payload.generate(false).getBytes(StandardCharsets.UTF_8);
  }

  /** A fresh store each iteration, so that its memory does not grow across the run; one scrape warms the cache. */
  @Setup(Level.Iteration)
  public void warm() throws ExpositionException {
    store = new SeriesStore(Duration.ofDays(365), Clock.systemUTC());
    cache = new ScrapeCache(store);
    timestamp = 1_700_000_000_000L;
    cache.startScrape();
    ExpositionReader reader = new ExpositionReader(text, false, timestamp);
    List<Sample> samples = reader.read().samples();
    ScrapeCache.Batch batch = new ScrapeCache.Batch(16);
    int[] spans = reader.seriesSpans();
    for (int i = 0; i < samples.size(); i++) {
      batch.add(cache.see(text, spans[2 * i], spans[2 * i + 1], samples.get(i).labels(),
          labels -> labels.with("job", "shop").with("instance", "10.0.0.1:9100")), timestamp, samples.get(i).value());
    }
    cache.append(batch, timestamp);
  }

  @Benchmark
  public int warmCacheScrape(Scraped scraped) {
    timestamp += 15_000;
    cache.startScrape();
    ScrapeCache.Batch batch = new ScrapeCache.Batch(cache.size());
    if (!cache.gatherKnown(text, text.length, false, timestamp, batch)) {
      throw new IllegalStateException("the cache should know every series");
    }
    scraped.samples += batch.size();
    return cache.append(batch, timestamp);
  }

  @Benchmark
  public ScrapeCache.Batch warmCacheGather(Scraped scraped) {
    cache.startScrape();
    ScrapeCache.Batch batch = new ScrapeCache.Batch(cache.size());
    cache.gatherKnown(text, text.length, false, timestamp, batch);
    scraped.samples += batch.size();
    return batch;
  }

  @Benchmark
  public Exposition parse(Scraped scraped) throws ExpositionException {
    Exposition exposition = ExpositionParser.parse(text, ExpositionFormat.TEXT_0_0_4, timestamp);
    scraped.samples += exposition.samples().size();
    return exposition;
  }
}
