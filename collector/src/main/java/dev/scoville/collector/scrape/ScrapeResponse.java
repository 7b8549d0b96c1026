package dev.scoville.collector.scrape;

/** A scrape's answer: its body and the content type that says which format it is in (null if none). */
public record ScrapeResponse(String contentType, ScrapeBody body) {}
