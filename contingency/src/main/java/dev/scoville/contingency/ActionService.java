package dev.scoville.contingency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoville.core.Database;
import dev.scoville.core.PrometheusDuration;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs catalog actions for people and for rules: checks role, cooldown and approval, executes with
 * a timeout, and keeps every attempt in the audit log, refused ones and dry runs included.
 *
 * <p>Every public method blocks (database, HTTP, the customer channel): call them on a worker
 * thread, never on an event loop.
 */
public final class ActionService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActionService.class);
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(authorization|token|key|secret|password|cookie|signature|auth).*");
  private static final String MASK = "••••••";
  private static final int MAX_ANSWER = 4000;
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(200, "OK"),
          Map.entry(201, "Created"),
          Map.entry(202, "Accepted"),
          Map.entry(204, "No Content"),
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(409, "Conflict"),
          Map.entry(422, "Unprocessable Content"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(504, "Gateway Timeout"));

  private final ActionCatalog catalog;
  private final KillSwitches killSwitches;
  private final AuditLog audit;
  private final CustomerMessageChannel channel;
  private final Clock clock;
  private final HttpClient http;
  // the customer channel may block without a timeout of its own: give it a thread to abandon
  private final ExecutorService channelThreads;
  // one run per action at a time: two people pressing at once must not both pass the cooldown
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Set<Long> rollingBack = ConcurrentHashMap.newKeySet();

  /** {@code killSwitches} must come from {@link KillSwitches#open}, which migrates the schema. */
  public ActionService(
      ActionCatalog catalog,
      KillSwitches killSwitches,
      Database database,
      CustomerMessageChannel channel,
      Clock clock) {
    this.catalog = catalog;
    this.killSwitches = killSwitches;
    this.audit = new AuditLog(database);
    this.channel = channel;
    this.clock = clock;
    int interrupted = audit.failInterrupted(clock.instant());
    if (interrupted > 0) {
      LOG.warn("{} action run(s) were still running when Scoville last stopped: marked failed", interrupted);
    }
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.channelThreads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "customer-message");
              t.setDaemon(true);
              return t;
            });
  }

  public ActionCatalog catalog() {
    return catalog;
  }

  /**
   * Runs, previews (dry run) or queues for approval one action. A request whose idempotency key was
   * seen before returns that first run and does nothing.
   */
  public ActionRun request(ActionRequest r) {
    if (!r.dryRun() && r.idempotencyKey() != null) {
      Optional<ActionRun> first = audit.findByKey(r.idempotencyKey());
      if (first.isPresent()) {
        return first.get();
      }
    }
    Instant now = clock.instant();
    Optional<Action> found = catalog.find(r.action());
    String refusal = null;
    Map<String, String> parameters = r.parameters();
    Prepared prepared = null;
    if (found.isEmpty()) {
      refusal = "refused: there is no action named " + r.action();
    } else if (blank(r.incidentId()) && blank(r.reason())) {
      refusal = "refused: say why: give the incident or a reason";
    } else {
      try {
        parameters = resolve(found.get(), r.parameters());
        prepared =
            prepare(
                found.get(), parameters, r.actor(), r.incidentId(), r.incidentTitle(), r.reason());
      } catch (Refusal e) {
        refusal = e.getMessage();
      }
    }
    String sent = prepared == null ? null : prepared.preview;
    if (refusal == null) {
      refusal = permission(found.get(), r.actor(), now);
    }
    ActionRun.Outcome outcome;
    String detail;
    if (r.dryRun()) {
      outcome = ActionRun.Outcome.DRY_RUN;
      detail =
          refusal != null
              ? "dry run, nothing sent; a real run would be " + refusal
              : found.get().secondApprover()
                  ? "dry run, nothing sent; a real run waits for a second commander to approve"
                  : "dry run, nothing sent";
    } else if (refusal != null) {
      outcome = ActionRun.Outcome.REFUSED;
      detail = refusal;
    } else if (found.get().secondApprover()) {
      outcome = ActionRun.Outcome.AWAITING_APPROVAL;
      detail = "waits for a second commander to approve";
    } else {
      outcome = ActionRun.Outcome.RUNNING;
      detail = null;
    }
    boolean finished =
        outcome != ActionRun.Outcome.RUNNING && outcome != ActionRun.Outcome.AWAITING_APPROVAL;
    ActionRun.Builder run =
        ActionRun.asked(ActionRun.Kind.RUN, r.action(), r.actor(), now)
            .incident(r.incidentId(), r.incidentTitle())
            .reason(r.reason())
            .parameters(parameters)
            .idempotencyKey(r.dryRun() ? null : r.idempotencyKey())
            .dryRun(r.dryRun())
            .sent(sent)
            .outcome(outcome, detail, finished ? now : null);
    if (outcome != ActionRun.Outcome.RUNNING) {
      return audit.insert(run.build(), null).run();
    }
    if (!inFlight.add(r.action())) {
      return audit
          .insert(refused(run, "refused: " + r.action() + " is already running", now), null)
          .run();
    }
    try {
      AuditLog.Stored stored = audit.insert(run.build(), null);
      if (!stored.fresh()) {
        return stored.run();
      }
      return finish(stored.run().id(), prepared);
    } finally {
      inFlight.remove(r.action());
    }
  }

  /**
   * Approves a run waiting for a second approver and runs it. The approver must be a commander
   * other than the person who asked; a refused approval is audited as its own entry.
   */
  public ActionRun approve(long runId, Actor approver) {
    ActionRun run =
        audit.find(runId).orElseThrow(() -> new IllegalArgumentException("no action run " + runId));
    Instant now = clock.instant();
    String refusal = null;
    if (run.outcome() != ActionRun.Outcome.AWAITING_APPROVAL) {
      refusal =
          "refused: run "
              + runId
              + " is not waiting for approval (it is "
              + run.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + ")";
    } else if (run.requestedBy().equalsIgnoreCase(approver.name())) {
      refusal =
          "refused: "
              + approver.name()
              + " cannot approve their own request; another commander must";
    } else if (!approver.role().covers(Actor.Role.COMMANDER)) {
      refusal = "refused: role " + approver.role().word() + " cannot approve; a commander must";
    }
    if (refusal != null) {
      return audit
          .insert(
              ActionRun.asked(ActionRun.Kind.APPROVAL, run.action(), approver, now)
                  .incident(run.incidentId(), run.incidentTitle())
                  .reason(run.reason())
                  .parameters(run.parameters())
                  .outcome(ActionRun.Outcome.REFUSED, refusal, now)
                  .approvalOf(runId)
                  .build(),
              null)
          .run();
    }
    if (!audit.claimApproval(runId, approver.name())) {
      return approve(runId, approver);
    }
    Action action = catalog.find(run.action()).orElseThrow();
    if (!inFlight.add(action.name())) {
      return audit.finish(
          runId,
          ActionRun.Outcome.REFUSED,
          run.sent(),
          null,
          "refused: " + action.name() + " is already running",
          null,
          now);
    }
    try {
      String cooldown = cooldown(action, now);
      if (cooldown != null) {
        return audit.finish(
            runId, ActionRun.Outcome.REFUSED, run.sent(), null, cooldown, null, now);
      }
      Prepared prepared;
      try {
        prepared =
            prepare(
                action,
                run.parameters(),
                new Actor(run.requestedBy(), run.requestedRole()),
                run.incidentId(),
                run.incidentTitle(),
                run.reason());
      } catch (Refusal e) {
        return audit.finish(
            runId, ActionRun.Outcome.REFUSED, run.sent(), null, e.getMessage(), null, now);
      }
      return finish(runId, prepared);
    } finally {
      inFlight.remove(action.name());
    }
  }

  /**
   * Undoes a successful run: a kill switch returns to what it served before, an HTTP action sends
   * its {@code rollback} call. Needs the role the action needs; no approval, no cooldown, since
   * undoing is how people get out of trouble.
   */
  public ActionRun rollback(long runId, Actor who) {
    ActionRun run =
        audit.find(runId).orElseThrow(() -> new IllegalArgumentException("no action run " + runId));
    Instant now = clock.instant();
    Optional<Action> action = catalog.find(run.action());
    String why = "rollback of run " + runId;
    ActionRun.Builder rollback =
        ActionRun.asked(ActionRun.Kind.ROLLBACK, run.action(), who, now)
            .incident(run.incidentId(), run.incidentTitle())
            .reason(why)
            .parameters(run.parameters())
            .rollbackOf(runId);
    String refusal = null;
    if (run.kind() != ActionRun.Kind.RUN
        || run.dryRun()
        || run.outcome() != ActionRun.Outcome.SUCCEEDED) {
      refusal =
          "refused: only a successful run can be rolled back; run "
              + runId
              + " is "
              + (run.dryRun()
                  ? "a dry run"
                  : run.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    } else if (run.rolledBackBy() != null) {
      refusal = "refused: run " + runId + " was already rolled back by run " + run.rolledBackBy();
    } else if (action.isEmpty()) {
      refusal = "refused: action " + run.action() + " is no longer in the catalog";
    } else if (!action.get().reversible()) {
      refusal =
          "refused: "
              + run.action()
              + " has no rollback"
              + (action.get().kind() instanceof Action.CustomerMessage
                  ? " (a sent message cannot be taken back)"
                  : "");
    } else if (!who.role().covers(action.get().role())) {
      refusal =
          "refused: role "
              + who.role().word()
              + " cannot roll back "
              + run.action()
              + " (it needs "
              + action.get().role().word()
              + ")";
    }
    if (refusal == null && !rollingBack.add(runId)) {
      refusal = "refused: run " + runId + " is being rolled back already";
    }
    if (refusal != null) {
      return audit.insert(refused(rollback, refusal, now), null).run();
    }
    try {
      ActionRun stored = audit.insert(rollback.build(), null).run();
      Prepared prepared;
      try {
        prepared = prepareRollback(action.get(), run, who);
      } catch (Refusal e) {
        return audit.finish(
            stored.id(), ActionRun.Outcome.REFUSED, null, null, e.getMessage(), null, now);
      }
      ActionRun done = finish(stored.id(), prepared);
      if (done.outcome() == ActionRun.Outcome.SUCCEEDED) {
        audit.markRolledBack(runId, done.id());
      }
      return done;
    } finally {
      rollingBack.remove(runId);
    }
  }

  /**
   * Runs a low-risk action a rule marked automatic, as user {@code scoville}, at most once per
   * incident (the incident id is the idempotency key). Anything riskier is refused and audited.
   */
  public ActionRun runAutomatic(String actionName, String incidentId, String reason) {
    Optional<Action> action = catalog.find(actionName);
    if (action.isPresent() && action.get().risk() != Action.Risk.LOW) {
      Instant now = clock.instant();
      return audit
          .insert(
              ActionRun.asked(ActionRun.Kind.RUN, actionName, Actor.SCOVILLE, now)
                  .incident(incidentId, null)
                  .reason(reason)
                  .outcome(
                      ActionRun.Outcome.REFUSED,
                      "refused: only low-risk actions run automatically; "
                          + actionName
                          + " is "
                          + action.get().risk().name().toLowerCase(Locale.ROOT)
                          + "-risk",
                      now)
                  .build(),
              null)
          .run();
    }
    String key = incidentId == null ? null : "automatic:" + incidentId + ":" + actionName;
    return request(
        new ActionRequest(
            actionName, Map.of(), Actor.SCOVILLE, incidentId, null, reason, key, false));
  }

  public Optional<ActionRun> run(long runId) {
    return audit.find(runId);
  }

  /** The newest {@code limit} audit entries, newest first. */
  public List<ActionRun> auditLog(int limit) {
    return audit.recent(limit);
  }

  /**
   * The newest {@code limit} audit entries of a database, newest first, read without running
   * anything (no interrupted run is marked failed): for reports off-line.
   */
  public static List<ActionRun> auditLog(Database database, int limit) {
    return new AuditLog(database).recent(limit);
  }

  public List<StatusPageDraft> statusPageDrafts() {
    return audit.drafts();
  }

  @Override
  public void close() {
    channelThreads.shutdownNow();
  }

  private ActionRun finish(long runId, Prepared prepared) {
    Result result = prepared.execution.run(runId);
    return audit.finish(
        runId,
        result.outcome,
        prepared.preview,
        result.answer,
        result.detail,
        result.previousValue,
        clock.instant());
  }

  /**
   * {@code run}, refused. It carries no idempotency key: refused because a run is in flight, it
   * must leave the key to the concurrent request that may be about to insert its own run.
   */
  private static ActionRun refused(ActionRun.Builder run, String why, Instant now) {
    return run.idempotencyKey(null).outcome(ActionRun.Outcome.REFUSED, why, now).build();
  }

  /** Null when {@code actor} may run {@code action} now, else why not. */
  private String permission(Action action, Actor actor, Instant now) {
    if (!actor.role().covers(action.role())) {
      return "refused: role "
          + actor.role().word()
          + " cannot run "
          + action.risk().name().toLowerCase(Locale.ROOT)
          + "-risk action "
          + action.name()
          + " (it needs "
          + action.role().word()
          + ")";
    }
    return cooldown(action, now);
  }

  private String cooldown(Action action, Instant now) {
    if (action.cooldown().isZero()) {
      return null;
    }
    Optional<Instant> last = audit.lastSuccess(action.name());
    if (last.isPresent() && now.isBefore(last.get().plus(action.cooldown()))) {
      return "refused: "
          + action.name()
          + " last ran at "
          + last.get()
          + "; its cooldown of "
          + PrometheusDuration.format(action.cooldown())
          + " lasts until "
          + last.get().plus(action.cooldown());
    }
    return null;
  }

  /** Parameters with defaults filled in; refuses unknown, missing and malformed ones. */
  private static Map<String, String> resolve(Action action, Map<String, String> given) {
    Map<String, String> values = new HashMap<>();
    for (String name : given.keySet()) {
      if (action.parameter(name).isEmpty()) {
        throw new Refusal("refused: " + action.name() + " has no parameter " + name);
      }
    }
    for (Action.Parameter p : action.parameters()) {
      String value = given.get(p.name());
      if (blank(value)) {
        value = p.defaultValue();
      }
      if (value == null) {
        if (p.required()) {
          throw new Refusal("refused: parameter " + p.name() + " is required");
        }
        continue;
      }
      if (p.integer() && !value.trim().matches("-?\\d{1,9}")) {
        throw new Refusal(
            "refused: parameter " + p.name() + " must be a whole number, not \"" + value + "\"");
      }
      values.put(p.name(), p.integer() ? value.trim() : value);
    }
    if (action.kind() instanceof Action.ScaleOut s) {
      int count = Integer.parseInt(values.get("count"));
      if (count < 1 || count > s.maxCount()) {
        throw new Refusal(
            "refused: count " + count + " is outside 1.." + s.maxCount() + " for " + action.name());
      }
    }
    return values;
  }

  private Prepared prepare(
      Action action,
      Map<String, String> parameters,
      Actor actor,
      String incidentId,
      String incidentTitle,
      String reason) {
    Map<String, String> values = new HashMap<>();
    values.put("incident.id", nonNull(incidentId));
    values.put("incident.title", nonNull(incidentTitle));
    values.put("reason", nonNull(reason));
    values.put("user", actor.name());
    values.put("action", action.name());
    parameters.forEach((k, v) -> values.put("params." + k, v));
    Set<String> integers =
        action.parameters().stream()
            .filter(Action.Parameter::integer)
            .map(p -> "params." + p.name())
            .collect(Collectors.toSet());
    Action.Kind kind = action.kind();
    if (kind instanceof Action.KillSwitch k) {
      return flagChange(k.flag(), k.value(), actor);
    }
    if (kind instanceof Action.Http h) {
      return call(h.call(), values, integers, action.timeout());
    }
    if (kind instanceof Action.ScaleOut s) {
      return call(s.call(), values, integers, action.timeout());
    }
    Action.CustomerMessage m = (Action.CustomerMessage) kind;
    String headline = Template.render(m.headline(), values, v -> v);
    String message = Template.render(m.message(), values, v -> v);
    String preview = "customer channel and a status-page draft:\n" + headline + "\n\n" + message;
    return new Prepared(
        preview, runId -> postMessage(runId, incidentId, headline, message, action.timeout()));
  }

  private Prepared prepareRollback(Action action, ActionRun run, Actor who) {
    if (action.kind() instanceof Action.KillSwitch k) {
      String previous = audit.previousValue(run.id());
      if (previous == null) {
        throw new Refusal("refused: run " + run.id() + " did not record the flag's previous value");
      }
      return flagChange(k.flag(), KillSwitches.parse(previous), who);
    }
    Action.HttpCall call =
        action.kind() instanceof Action.Http h
            ? h.rollback().orElseThrow()
            : ((Action.ScaleOut) action.kind()).rollback().orElseThrow();
    Map<String, String> values = new HashMap<>();
    values.put("incident.id", nonNull(run.incidentId()));
    values.put("incident.title", nonNull(run.incidentTitle()));
    values.put("reason", "rollback of run " + run.id());
    values.put("user", who.name());
    values.put("action", action.name());
    run.parameters().forEach((k, v) -> values.put("params." + k, v));
    Set<String> integers =
        action.parameters().stream()
            .filter(Action.Parameter::integer)
            .map(p -> "params." + p.name())
            .collect(Collectors.toSet());
    return call(call, values, integers, action.timeout());
  }

  private Prepared flagChange(String flag, JsonNode value, Actor actor) {
    KillSwitches.Flag current =
        killSwitches
            .flag(flag)
            .orElseThrow(() -> new Refusal("refused: no kill switch serves flag " + flag));
    String preview = "flag " + flag + ": " + current.value() + " → " + value;
    return new Prepared(
        preview,
        runId -> {
          KillSwitches.Flag before = killSwitches.set(flag, value, actor.name(), clock.instant());
          return new Result(
              ActionRun.Outcome.SUCCEEDED,
              "flag " + flag + " now serves " + value,
              "flag " + flag + " changed from " + before.value() + " to " + value,
              before.value().toString());
        });
  }

  private Prepared call(
      Action.HttpCall template,
      Map<String, String> values,
      Set<String> integers,
      Duration timeout) {
    String url =
        Template.render(
            template.url(),
            values,
            v -> URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    template
        .headers()
        .forEach(
            (k, v) -> headers.put(k, Template.render(v, values, s -> s.replaceAll("[\r\n]", " "))));
    JsonNode body =
        template.body() == null ? null : Template.render(template.body(), values, integers);
    HttpRequest request;
    URI uri;
    try {
      uri = URI.create(url);
      HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
      headers.forEach(builder::header);
      if (body != null
          && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-type"))) {
        builder.header("Content-Type", "application/json");
      }
      builder.method(
          template.method(),
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body.toString()));
      request = builder.build();
    } catch (IllegalArgumentException e) {
      throw new Refusal("refused: the request cannot be built: " + e.getMessage());
    }
    StringBuilder preview =
        new StringBuilder(template.method()).append(' ').append(maskUrl(uri)).append('\n');
    request
        .headers()
        .map()
        .forEach(
            (k, vs) ->
                vs.forEach(
                    v ->
                        preview
                            .append(k)
                            .append(": ")
                            .append(SECRET_NAME.matcher(k).matches() ? MASK : v)
                            .append('\n')));
    if (body != null) {
      preview.append('\n').append(maskBody(body));
    }
    String host = uri.getHost() == null ? url : uri.getHost();
    return new Prepared(preview.toString().strip(), runId -> send(request, host, timeout));
  }

  private Result send(HttpRequest request, String host, Duration timeout) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int code = response.statusCode();
      String status = code + " " + REASONS.getOrDefault(code, "");
      String text = response.body() == null ? "" : response.body();
      String answer =
          ("HTTP " + status).strip() + (text.isEmpty() ? "" : "\n" + clip(text, MAX_ANSWER));
      boolean ok = code >= 200 && code < 300;
      return new Result(
          ok ? ActionRun.Outcome.SUCCEEDED : ActionRun.Outcome.FAILED,
          answer,
          host + " answered " + status.strip(),
          null);
    } catch (HttpTimeoutException e) {
      return failed("timed out after " + words(timeout) + " waiting for " + host);
    } catch (ConnectException e) {
      return failed(
          "could not connect to "
              + host
              + " ("
              + (e.getMessage() == null ? "connection refused" : e.getMessage())
              + ")");
    } catch (IOException e) {
      return failed("the call to " + host + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed("interrupted while waiting for " + host);
    }
  }

  private Result postMessage(
      long runId, String incidentId, String headline, String message, Duration timeout) {
    StatusPageDraft draft =
        audit.insertDraft(runId, incidentId, headline, message, clock.instant());
    String drafted = "status-page draft #" + draft.id() + " written";
    Future<String> posted =
        channelThreads.submit(() -> channel.post(headline, message, incidentId));
    try {
      String where = posted.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Result(
          ActionRun.Outcome.SUCCEEDED,
          "posted: " + where + "; " + drafted,
          "message posted and " + drafted,
          null);
    } catch (TimeoutException e) {
      posted.cancel(true);
      return failed(
          "the customer channel did not answer within " + words(timeout) + "; " + drafted);
    } catch (ExecutionException e) {
      return failed(
          "the customer channel refused the message: "
              + e.getCause().getMessage()
              + "; "
              + drafted);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed("interrupted while posting the message; " + drafted);
    }
  }

  private static Result failed(String why) {
    return new Result(ActionRun.Outcome.FAILED, null, why, null);
  }

  private static String maskUrl(URI uri) {
    String query = uri.getRawQuery();
    if (query == null) {
      return uri.toString();
    }
    String masked =
        java.util.Arrays.stream(query.split("&"))
            .map(
                pair -> {
                  int eq = pair.indexOf('=');
                  return eq > 0 && SECRET_NAME.matcher(pair.substring(0, eq)).matches()
                      ? pair.substring(0, eq + 1) + MASK
                      : pair;
                })
            .collect(Collectors.joining("&"));
    String s = uri.toString();
    return s.substring(0, s.indexOf('?') + 1) + masked;
  }

  private static JsonNode maskBody(JsonNode body) {
    if (body.isObject()) {
      ObjectNode masked = KillSwitches.JSON.createObjectNode();
      body.fields()
          .forEachRemaining(
              e ->
                  masked.set(
                      e.getKey(),
                      SECRET_NAME.matcher(e.getKey()).matches() && e.getValue().isValueNode()
                          ? masked.textNode(MASK)
                          : maskBody(e.getValue())));
      return masked;
    }
    if (body.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode masked = KillSwitches.JSON.createArrayNode();
      body.forEach(child -> masked.add(maskBody(child)));
      return masked;
    }
    return body;
  }

  private static String words(Duration d) {
    return d.toMillis() % 1000 == 0 && d.getSeconds() < 60
        ? d.getSeconds() + " s"
        : PrometheusDuration.format(d);
  }

  private static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  /** What a run sends, shown before and recorded after, and the work that sends it. */
  private record Prepared(String preview, Execution execution) {}

  private interface Execution {
    Result run(long runId);
  }

  private record Result(
      ActionRun.Outcome outcome, String answer, String detail, String previousValue) {}

  /** A request that cannot run, with the reason to show and audit. */
  private static final class Refusal extends RuntimeException {
    Refusal(String message) {
      super(message, null, false, false);
    }
  }
}
