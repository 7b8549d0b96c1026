package dev.scoville.contingency;

/**
 * Where customer-facing messages go (the app wires Slack). Called on a worker thread by {@link
 * ActionService}; may block.
 */
public interface CustomerMessageChannel {
  /**
   * Posts the message and returns where it went (e.g. channel and message id) for the audit log;
   * throws with a readable message when it could not.
   */
  String post(String headline, String message, String incidentId) throws Exception;
}
