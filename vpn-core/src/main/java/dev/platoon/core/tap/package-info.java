/**
 * Tap (L2) mode: the device side is Ethernet, the tunnel stays IP. A {@link dev.platoon.core.tap.Tap}
 * is a second {@link dev.platoon.core.transport.Tun}: each queue's {@link dev.platoon.core.tap.TapPort}
 * takes the Ethernet header off what it reads and puts one on what it writes, so the data path runs
 * unchanged, trains and offloads included.
 *
 * <h2>Decisions, and why</h2>
 * <ul>
 *   <li><b>Header off in place, on with writev</b>: on read the 12-byte virtio header moves 14 bytes
 *       forward over the Ethernet header (no copy of the packet). On write the packet sits in a receive
 *       buffer whose bytes before it may hold the previous datagram of a GRO batch, so the virtio and
 *       Ethernet headers go out from the port's own 26 bytes, gathered with the packet by one writev.</li>
 *   <li><b>Unknown destination: hold briefly and ask</b>, as the kernel does: up to 64 frames (256 KiB)
 *       per queue for up to a second ({@link dev.platoon.core.tap.HeldFrames}), else dropped and counted.
 *       Dropping at once would lose the first packets to every host that has not spoken yet (a VM that
 *       receives IPv6 before it sends any). One ARP/NS per destination per second; entries are
 *       refreshed with a unicast probe once past half their ageing (5 minutes, the bridge's default)
 *       while traffic flows.</li>
 *   <li><b>Answered</b>: ARP requests and neighbour solicitations for addresses routed into the tunnel
 *       and for the device's own, with one stable locally administered MAC derived from a seed. Not for
 *       an address a host behind the tap holds, not for duplicate-address probes.</li>
 *   <li><b>Learned</b>: senders of ARP and ND, gratuitous ARP and unsolicited advertisements (a changed MAC
 *       replaces the old one), and the source MAC of every IP frame for its source address — so hosts
 *       routed through a router behind the tap are reached through that router's MAC.</li>
 *   <li><b>Never silent</b>: every frame is handed on, answered, learned from, or counted under a
 *       {@link dev.platoon.core.drop.Drop} reason (those of {@code Where.TAP}).</li>
 * </ul>
 */
package dev.platoon.core.tap;
