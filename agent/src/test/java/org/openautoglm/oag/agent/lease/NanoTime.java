package org.openautoglm.oag.agent.lease;

/** Prints this JVM's {@link System#nanoTime()}: run by {@link MonotonicClockTest} as a second JVM. */
public final class NanoTime {
  private NanoTime() {}

  public static void main(String[] args) {
    System.out.println(System.nanoTime());
  }
}
