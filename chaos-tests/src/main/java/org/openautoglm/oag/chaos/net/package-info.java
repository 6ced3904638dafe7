/**
 * The network faults of the chaos harness: network namespaces and firewall rules for the
 * node-to-node links, and a TCP proxy ({@link org.openautoglm.oag.chaos.net.LinkProxy}) for
 * latency, jitter and resets on the client and agent links.
 */
package org.openautoglm.oag.chaos.net;
