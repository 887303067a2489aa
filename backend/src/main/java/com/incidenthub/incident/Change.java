package com.incidenthub.incident;

/**
 * One stored version of an incident and its place in the change sequence: every write that changes an incident takes
 * the next number of one counter and stores it with the incident, so {@code seq} orders all changes of a store.
 */
public record Change(Incident incident, long seq) {}
