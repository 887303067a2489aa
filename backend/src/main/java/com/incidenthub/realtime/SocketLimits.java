package com.incidenthub.realtime;

import java.util.function.Supplier;

/**
 * What one socket may do: follow at most {@code maxChannels} channels ({@code "*"} counts as one), and send messages
 * as fast as the {@link MessageRate} it gets from {@code messageRates} allows.
 */
public record SocketLimits(int maxChannels, Supplier<MessageRate> messageRates) {
  /** One socket's allowance for client messages, asked once per message. */
  @FunctionalInterface
  public interface MessageRate {
    /** False when this message is one too many: the socket is over its rate. */
    boolean allow();
  }
}
