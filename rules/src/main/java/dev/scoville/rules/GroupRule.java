package dev.scoville.rules;

/** A rule of a group: evaluated in the group's order, alerting or recording. */
sealed interface GroupRule permits AlertRule, RecordingRule {
  String name();
}
