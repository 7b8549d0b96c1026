package dev.scoville.console;

import dev.scoville.collector.ScrapeConfig;
import dev.scoville.console.launch.JvmDefaults;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code java -jar scoville.jar [--config scoville.yaml]}: without a file, the built-in demo. Started
 * with no JVM options, it starts itself again with {@link JvmDefaults}' options.
 */
public final class Main {
  static final String DEMO_CONFIG = "scoville-demo.yaml";

  private Main() {}

  /** The heap for {@code database.series} series keeping {@code database.retention} at the shortest scrape interval. */
  static long heapMiB(ConfigFile config) {
    ConsoleConfig.DatabaseSettings database =
        config.section("database", ConsoleConfig.DatabaseSettings.class, ConsoleConfig.DatabaseSettings.defaults());
    ScrapeConfig scrape = config.section("scrape", ScrapeConfig.class, ScrapeConfig.none());
    Duration interval = scrape.interval();
    for (ScrapeConfig.Job job : scrape.jobs()) {
      if (job.interval() != null && job.interval().compareTo(interval) < 0) {
        interval = job.interval();
      }
    }
    return JvmDefaults.heapMiB(database.series(), database.retention(), interval);
  }

  public static void main(String[] args) throws Exception {
    ConfigFile config;
    try {
      config = args.length >= 2 && args[0].equals("--config")
          ? ConfigFile.load(Path.of(args[1]))
          : ConfigFile.loadResource(DEMO_CONFIG);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (args.length == 1 || (args.length > 0 && !args[0].equals("--config"))) {
      System.err.println("usage: scoville [--config scoville.yaml]");
      System.exit(2);
    }
    if (JvmDefaults.noneGiven(ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getenv())) {
      List<String> options;
      try {
        options = JvmDefaults.options(heapMiB(config));
      } catch (ConfigException e) {
        System.err.println(config.redactMessage(e.getMessage()));
        System.exit(2);
        return;
      }
      System.out.println("Starting Scoville's JVM with " + String.join(" ", options) + " and "
          + String.join(" ", JvmDefaults.ENVIRONMENT.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList())
          + " where the environment does not set it"
          + " (sized for database.series; JVM options given on the command line replace these)");
      System.exit(JvmDefaults.relaunch(options, Main.class.getName(), args));
    }
    JvmDefaults.exitWithLauncher();
    Scoville scoville;
    try {
      scoville = Scoville.start(config);
    } catch (ConfigException e) {
      System.err.println(config.redactMessage(e.getMessage()));
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(scoville::close, "shutdown"));
    System.out.println();
    System.out.println("Scoville is running (" + config.source() + ")");
    System.out.println("  war room : " + scoville.consoleUrl());
    System.out.println("  API      : " + scoville.apiUrl() + " (metrics at " + scoville.apiUrl().resolve("metrics") + ")");
    scoville.pagerDutySink().ifPresent(s -> System.out.println("  pages go to the local PagerDuty sink at " + s.eventsUri()));
    scoville.demoCommander().ifPresent(u -> System.out.println("  demo login: " + u.name() + " / " + u.password()));
    if (scoville.users().isEmpty()) {
      System.out.println("  nobody can sign in: add people to the configuration's users section, e.g.");
      System.out.println("    users:");
      System.out.println("      - { name: alice, password: '<bcrypt hash>', role: commander }");
      System.out.println("  where java -cp scoville.jar dev.scoville.console.HashPassword prints the hash");
    }
    System.out.println();
  }
}
