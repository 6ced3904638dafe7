/**
 * The host's GPUs and the processes on them, read through the {@code nvidia-smi} CLI.
 * {@link org.openautoglm.oag.agent.gpu.NvidiaSmi} never fails a host that has no GPU.
 */
package org.openautoglm.oag.agent.gpu;
