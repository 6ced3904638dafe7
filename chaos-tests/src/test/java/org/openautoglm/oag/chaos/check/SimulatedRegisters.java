package org.openautoglm.oag.chaos.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.openautoglm.oag.chaos.check.DesiredOps.Desired;
import org.openautoglm.oag.chaos.history.History;
import org.openautoglm.oag.chaos.history.Op;

/**
 * Writes the history of clients working on real, atomic desired-state registers, so that it
 * is linearizable by construction: a discrete-event simulation on a fake clock in which each
 * operation takes effect at one instant strictly inside its recorded window. Attempts may time
 * out (INFO, applied or not) and are retried with the same request id, which the register
 * answers from memory if it applied; some fail before applying, some are given up on; a
 * task's allocation generation goes up now and then, so reads also satisfy {@link
 * GenerationChecker}. With {@code stops}, every fourth task ({@code i % 4 == 0}) is sometimes
 * stopped; the others never are.
 *
 * @param processes client processes, working concurrently
 * @param tasks task ids {@code t0 .. t(tasks-1)}; process p mostly works on tasks {@code i}
 *     with {@code i % processes == p}
 * @param ops operations (not attempts) invoked in all
 * @param stops whether every fourth task is sometimes stopped
 * @param seed of the one {@link Random} every choice comes from
 */
record SimulatedRegisters(int processes, int tasks, int ops, boolean stops, long seed) {

  private static final double OWN_TASK = 0.9;
  private static final double TIMEOUT = 0.05; // an attempt ends in INFO
  private static final double FAIL = 0.03; // an attempt definitely fails
  private static final double GIVE_UP = 0.2; // after an INFO, no retry

  /** Whether task {@code i} may ever be stopped. */
  boolean stoppable(int i) {
    return stops && i % 4 == 0;
  }

  /** Runs the simulation; the history's ops in recording order. */
  List<Op> history() {
    return new Run().history();
  }

  /** One event: a process's next step, at a time; ties in the order scheduled. */
  private record Event(long time, long order, int process) {}

  private final class Run {
    final Random random = new Random(seed);
    final AtomicLong clock = new AtomicLong();
    final History h = History.inMemory(clock::get);
    final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.time != b.time
        ? Long.compare(a.time, b.time) : Long.compare(a.order, b.order));
    final Desired[] state = new Desired[tasks];
    final long[] generation = new long[tasks];
    final Map<String, String> answered = new HashMap<>(); // request id -> what it applied as
    final Client[] clients = new Client[processes];
    long scheduled;
    int invoked;
    int requestIds;

    List<Op> history() {
      Arrays.fill(state, Desired.RUNNING);
      for (int p = 0; p < processes; p++) {
        clients[p] = new Client();
        schedule(p, random.nextInt(1_000));
      }
      while (!events.isEmpty()) {
        Event e = events.poll();
        clock.set(e.time);
        step(e.process, clients[e.process]);
      }
      return h.ops();
    }

    void schedule(int process, long delayMicros) {
      events.add(new Event(clock.get() + 1_000 * (1 + delayMicros), scheduled++, process));
    }

    void step(int p, Client c) {
      switch (c.phase) {
        case IDLE -> {
          if (c.retry == null && invoked >= ops) {
            return; // done: no more events for this process
          }
          if (c.retry == null) {
            choose(p, c);
            invoked++;
          }
          c.retry = null;
          h.invoke(p, c.f, "t" + c.task, c.requestId);
          double fate = random.nextDouble();
          c.fails = fate < FAIL;
          c.timesOut = !c.fails && fate < FAIL + TIMEOUT;
          boolean takesEffect = !c.fails && (!c.timesOut || random.nextBoolean());
          c.phase = takesEffect ? Phase.TAKE_EFFECT : Phase.COMPLETE;
          schedule(p, random.nextInt(300));
        }
        case TAKE_EFFECT -> {
          c.answer = takeEffect(c);
          c.phase = Phase.COMPLETE;
          schedule(p, random.nextInt(300));
        }
        case COMPLETE -> {
          String task = "t" + c.task;
          if (c.fails) {
            h.fail(p, c.f, task, "not leader");
          } else if (c.timesOut) {
            h.info(p, c.f, task, "deadline exceeded");
            boolean retry = DesiredOps.isWrite(c.f) && random.nextDouble() >= GIVE_UP;
            c.retry = retry ? c.requestId : null;
          } else {
            h.ok(p, c.f, task, c.answer);
          }
          c.phase = Phase.IDLE;
          schedule(p, random.nextInt(100));
        }
        default -> throw new IllegalStateException();
      }
    }

    void choose(int p, Client c) {
      int owned = (tasks - p + processes - 1) / processes; // tasks p, p + processes, ...
      c.task = owned > 0 && random.nextDouble() < OWN_TASK
          ? p + random.nextInt(owned) * processes : random.nextInt(tasks);
      double f = random.nextDouble();
      if (f < 0.4) {
        c.f = DesiredOps.READ;
      } else if (f < 0.96 || !stoppable(c.task)) {
        c.f = f < 0.68 ? DesiredOps.PAUSE : DesiredOps.RESUME;
      } else {
        c.f = DesiredOps.STOP;
      }
      c.requestId = c.f.equals(DesiredOps.READ) ? null : "r" + requestIds++;
    }

    /** The register, atomically: what the operation answers. */
    String takeEffect(Client c) {
      if (random.nextDouble() < 0.05) {
        generation[c.task]++; // a placement happened just now
      }
      if (c.f.equals(DesiredOps.READ)) {
        return DesiredOps.readValue(state[c.task], generation[c.task]);
      }
      String done = answered.get(c.requestId);
      if (done != null) {
        return done; // a retry of a request that applied: deduplicated
      }
      String answer = DesiredOps.APPLIED;
      if (c.f.equals(DesiredOps.STOP)) {
        state[c.task] = Desired.STOPPED;
      } else if (state[c.task] == Desired.STOPPED) {
        answer = DesiredOps.REFUSED;
      } else {
        state[c.task] = c.f.equals(DesiredOps.PAUSE) ? Desired.PAUSED : Desired.RUNNING;
      }
      answered.put(c.requestId, answer);
      return answer;
    }
  }

  private enum Phase {
    IDLE,
    TAKE_EFFECT,
    COMPLETE
  }

  /** A client process's operation in flight. */
  private static final class Client {
    Phase phase = Phase.IDLE;
    String retry; // the request id to retry next, if any
    String f;
    int task;
    String requestId;
    boolean fails;
    boolean timesOut;
    String answer;
  }

  /** {@code history} with the OK at {@code index} answering {@code value} instead. */
  static List<Op> withValue(List<Op> history, int index, String value) {
    List<Op> changed = new ArrayList<>(history);
    Op ok = history.get(index);
    changed.set(index, new Op(ok.time(), ok.process(), ok.type(), ok.f(), ok.key(), value, null));
    return changed;
  }
}
