package dev.scoville.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.ConfigFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportPlanTest {
  @Test
  void aBadItemIsReportedWithItsPlaceAndTheOthersCount() {
    List<String> problems = new ArrayList<>();
    ReportPlan plan = ReportPlan.load(ConfigFile.parse("scoville.yaml", """
        reports:
          measures:
            - { name: Orders, expr: 'sum(orders)' }
            - { name: Nameless }
          limits:
            - { name: CPU, expr: 'cpu', above: 0.9 }
            - { name: Pool, expr: 'pool' }
          thirdParties:
            - { name: Gateway, expr: 'sum(' }
            - { name: Logistics, expr: 'probe_success' }
          nextPeakGrowth: 0
        """, Map.of()), problems::add);

    assertThat(plan.measures()).extracting(Measure::name).containsExactly("Orders");
    assertThat(plan.limits()).extracting(ReportPlan.Limit::name).containsExactly("CPU");
    assertThat(plan.thirdParties()).extracting(ReportPlan.ThirdParty::name).containsExactly("Logistics");
    assertThat(plan.nextPeakGrowth()).isEqualTo(1);
    assertThat(problems).hasSize(4);
    assertThat(problems.get(0)).startsWith("scoville.yaml:").endsWith(": a measure needs a name and an expr");
    assertThat(problems.get(1)).endsWith(": a limit needs a name, an expr and above");
    assertThat(problems.get(2)).startsWith("scoville.yaml:").contains("third party 'Gateway'");
    assertThat(problems.get(3)).contains("nextPeakGrowth must be above 0");
  }
}
