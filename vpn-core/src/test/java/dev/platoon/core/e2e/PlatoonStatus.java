package dev.platoon.core.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.platoon.core.uapi.UapiClient;
import dev.platoon.core.uapi.UapiException;
import dev.platoon.core.uapi.UapiServer;

/**
 * One reading of a running platoon's status, asked over its control socket (what {@code platoon show}
 * prints; format in {@code DeviceStatus}). The tests have one peer per interface, so the peer fields
 * are those of the first peer. Ratios are printed with one decimal in the child's locale: parsed with
 * either decimal separator.
 */
record PlatoonStatus(String text, long framesRead, double segmentsPerFrame, long maxSegmentsPerFrame,
        long groBatches, double datagramsPerBatch, long maxBatch, long handshakesInitiated,
        long handshakesCompleted, long handshakesFailed, String endpoint, Map<String, Long> drops) {

    private static final String NUM = "([0-9]+(?:[.,][0-9]+)?)";
    private static final Pattern FRAMES = Pattern.compile(
            "frames read: ([0-9]+), segments per frame: " + NUM + " \\(max ([0-9]+)\\)");
    private static final Pattern GRO = Pattern.compile(
            "receive wake-ups: ([0-9]+), datagrams per wake-up: " + NUM + " \\(max ([0-9]+)\\)");
    private static final Pattern WRITTEN = Pattern.compile(
            "frames written: ([0-9]+), of them coalesced trains: ([0-9]+), segments per train: " + NUM);
    private static final Pattern HANDSHAKES = Pattern.compile(
            "handshakes: ([0-9]+) initiated, ([0-9]+) completed, ([0-9]+) failed");
    private static final Pattern ENDPOINT = Pattern.compile("^\\s*endpoint: (\\S+)$", Pattern.MULTILINE);
    private static final Pattern DROPS = Pattern.compile("^drops: (.*)$", Pattern.MULTILINE);
    private static final Pattern TAP_MAC = Pattern.compile("tap: mac ([0-9a-f:]{17})");
    private static final Pattern TAP_ANSWERED = Pattern.compile(
            "answered: ([0-9]+) ARP, ([0-9]+) ND; probes sent: ([0-9]+)");
    private static final Pattern TAP_LEARNED = Pattern.compile("learned: ([0-9]+) neighbours, ([0-9]+) MAC changes");

    /** The current status of an interface, or null while it has no control socket to ask. */
    static PlatoonStatus read(String ifname) throws IOException {
        Path socket = UapiServer.socketPath(UapiServer.DEFAULT_DIRECTORY, ifname);
        if (!Files.exists(socket)) {
            return null;
        }
        try (UapiClient client = UapiClient.connect(socket, UapiClient.DEFAULT_TIMEOUT)) {
            return parse(client.show());
        } catch (IOException | UapiException e) {
            return null; // coming up or going down
        }
    }

    static PlatoonStatus parse(String text) {
        Matcher frames = FRAMES.matcher(text);
        Matcher gro = GRO.matcher(text);
        Matcher drops = DROPS.matcher(text);
        if (!frames.find() || !gro.find() || !drops.find()) {
            return null;
        }
        Matcher hs = HANDSHAKES.matcher(text);
        boolean peer = hs.find();
        Matcher ep = ENDPOINT.matcher(text);
        Map<String, Long> dropMap = new TreeMap<>();
        String list = drops.group(1).strip();
        if (!list.equals("none")) {
            for (String item : list.split(", ")) {
                int sp = item.lastIndexOf(' ');
                dropMap.put(item.substring(0, sp), Long.parseLong(item.substring(sp + 1)));
            }
        }
        return new PlatoonStatus(text, Long.parseLong(frames.group(1)), num(frames.group(2)),
                Long.parseLong(frames.group(3)), Long.parseLong(gro.group(1)), num(gro.group(2)),
                Long.parseLong(gro.group(3)), peer ? Long.parseLong(hs.group(1)) : 0,
                peer ? Long.parseLong(hs.group(2)) : 0, peer ? Long.parseLong(hs.group(3)) : 0,
                ep.find() ? ep.group(1) : null, dropMap);
    }

    private static double num(String s) {
        return Double.parseDouble(s.replace(',', '.'));
    }

    long drop(String reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** Segments read from the tun (approximate: the ratio is printed rounded to 0.1). */
    double segmentsRead() {
        return segmentsPerFrame * framesRead;
    }

    double datagramsReceived() {
        return datagramsPerBatch * groBatches;
    }

    /** Segments per tun frame read between an earlier reading and this one. */
    double segmentsPerFrameSince(PlatoonStatus before) {
        long frames = framesRead - before.framesRead;
        return frames <= 0 ? 0 : (segmentsRead() - before.segmentsRead()) / frames;
    }

    /** Datagrams per receive batch between an earlier reading and this one. */
    double datagramsPerBatchSince(PlatoonStatus before) {
        long batches = groBatches - before.groBatches;
        return batches <= 0 ? 0 : (datagramsReceived() - before.datagramsReceived()) / batches;
    }

    /** Trains written to the device (segments coalesced into one frame) and their segments, approximately. */
    long coalescedTrains() {
        Matcher m = WRITTEN.matcher(text);
        return m.find() ? Long.parseLong(m.group(2)) : 0;
    }

    double segmentsInTrains() {
        Matcher m = WRITTEN.matcher(text);
        return m.find() ? Long.parseLong(m.group(2)) * num(m.group(3)) : 0;
    }

    /** Frames written to the device. */
    long framesWritten() {
        Matcher m = WRITTEN.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Tap mode: platoon's MAC on the tap, as {@code aa:bb:...}; null for a tun. */
    String tapMac() {
        Matcher m = TAP_MAC.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** Tap mode: ARP requests answered; -1 for a tun. */
    long arpAnswered() {
        return number(TAP_ANSWERED, 1);
    }

    /** Tap mode: neighbour solicitations answered; -1 for a tun. */
    long ndAnswered() {
        return number(TAP_ANSWERED, 2);
    }

    /** Tap mode: ARP requests and solicitations sent for destinations without a MAC; -1 for a tun. */
    long probesSent() {
        return number(TAP_ANSWERED, 3);
    }

    /** Tap mode: learned MACs that replaced another for the same address; -1 for a tun. */
    long macChanges() {
        return number(TAP_LEARNED, 2);
    }

    private long number(Pattern p, int group) {
        Matcher m = p.matcher(text);
        return m.find() ? Long.parseLong(m.group(group)) : -1;
    }
}
