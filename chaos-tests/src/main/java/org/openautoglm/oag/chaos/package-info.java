/**
 * The chaos harness: a real multi-process coordinator cluster ({@code cluster}), the faults
 * injected into it ({@code fault}, {@code net}), the record of what clients saw ({@code
 * history}), the harness-owned tick sink that tasks report to ({@code sink}), the workload
 * ({@code workload}), the checkers ({@code check}) and scenarios that tie them together
 * ({@code scenario}).
 */
package org.openautoglm.oag.chaos;
