package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelIndexTest {
  private final LabelIndex index = new LabelIndex();

  @Test
  void removingSeriesLeavesTheOthersOfTheirPostings() {
    List<MemSeries> all = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      MemSeries series = new MemSeries(Labels.of("__name__", "up", "job", "shop", "instance", "host" + i));
      all.add(series);
      index.add(series);
    }
    List<MemSeries> gone = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 3) {
      gone.add(all.get(i));
    }

    index.removeAll(gone);

    List<MemSeries> kept = new ArrayList<>(all);
    kept.removeAll(gone);
    assertThat(candidates(LabelMatcher.equal("job", "shop"))).containsExactlyInAnyOrderElementsOf(kept);
    assertThat(candidates(LabelMatcher.equal("instance", "host0"))).isEmpty();
    assertThat(candidates(LabelMatcher.equal("instance", "host1"))).containsExactly(all.get(1));
    assertThat(candidates(LabelMatcher.of("instance", LabelMatcher.Op.REGEX, "host1.")))
        .containsExactlyInAnyOrder(all.get(10), all.get(11), all.get(13), all.get(14), all.get(16), all.get(17),
            all.get(19));
  }

  @Test
  void aPostingSeenBeforeAnAddOrRemoveStaysAsItWas() {
    MemSeries first = new MemSeries(Labels.of("job", "shop", "instance", "a"));
    index.add(first);
    Collection<MemSeries> before = candidates(LabelMatcher.equal("job", "shop"));

    index.add(new MemSeries(Labels.of("job", "shop", "instance", "b")));
    index.removeAll(List.of(first));

    assertThat(before).containsExactly(first);
    assertThat(candidates(LabelMatcher.equal("job", "shop"))).extracting(s -> s.labels().get("instance"))
        .containsExactly("b");
  }

  @Test
  void theSmallestPostingNarrowsTheCandidates() {
    MemSeries a = new MemSeries(Labels.of("job", "shop", "code", "500"));
    index.add(a);
    index.add(new MemSeries(Labels.of("job", "shop", "code", "200")));

    assertThat(index.candidates(List.of(LabelMatcher.equal("job", "shop"), LabelMatcher.equal("code", "500"))))
        .containsExactly(a);
  }

  private Collection<MemSeries> candidates(LabelMatcher matcher) {
    return index.candidates(List.of(matcher));
  }
}
