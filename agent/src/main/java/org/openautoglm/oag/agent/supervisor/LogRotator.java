package org.openautoglm.oag.agent.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one allocation's {@link LogRotation} to its two output files on the supervisor's
 * step clock: the first step starts the period, sizes are checked one period later and every
 * period after, so a process's first burst of output is not cut at once. A failed rotation is
 * logged and tried again next period. Not thread-safe: the supervisor's stepping thread only.
 */
final class LogRotator {
  private static final Logger log = LoggerFactory.getLogger(LogRotator.class);

  private final AllocationDir dir;
  private final LogRotation rotation;
  private boolean started;
  private long checkedAtNanos;

  LogRotator(AllocationDir dir, LogRotation rotation) {
    this.dir = dir;
    this.rotation = rotation;
  }

  void rotateIfDue(long nowNanos) {
    if (!started) {
      started = true;
      checkedAtNanos = nowNanos;
      return;
    }
    if (nowNanos - checkedAtNanos < rotation.checkEvery().toNanos()) {
      return;
    }
    checkedAtNanos = nowNanos;
    for (Path file : new Path[] {dir.stdoutFile(), dir.stderrFile()}) {
      try {
        if (rotation.rotateIfNeeded(file)) {
          log.info("event=allocation_log_rotated alloc={} file={}",
              dir.allocation().allocationId(), file.getFileName());
        }
      } catch (IOException e) {
        log.warn("event=allocation_log_rotation_failed alloc={} file={} error=\"{}\"",
            dir.allocation().allocationId(), file.getFileName(), e.toString());
      }
    }
  }
}
