package dev.platoon.core.device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A host that records what would run; queries answer from a map, and one command can be made to fail. */
final class RecordingHost implements Host {
    final List<String> commands = new ArrayList<>();
    final List<String> stdins = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    /** The size of each ip -batch run. */
    final List<Integer> batches = new ArrayList<>();
    final Map<String, String> answers = new HashMap<>();
    final Map<Path, List<String>> files = new HashMap<>();
    boolean resolvconf;
    boolean nft;
    String failing;

    @Override
    public String run(List<String> argv, String stdin) throws DeviceException {
        String line = String.join(" ", argv);
        commands.add(line);
        stdins.add(stdin);
        if (line.equals(failing)) {
            throw new DeviceException(line + ": RTNETLINK answers: File exists");
        }
        return "";
    }

    /** Records each command as if run alone; a failing one stops the batch as ip -batch does. */
    @Override
    public void ipBatch(List<List<String>> batch) throws DeviceException {
        if (!batch.isEmpty()) {
            batches.add(batch.size());
        }
        for (List<String> argv : batch) {
            run(argv, null);
        }
    }

    @Override
    public String query(List<String> argv) throws DeviceException {
        String line = String.join(" ", argv);
        if (line.equals(failing)) {
            throw new DeviceException(line + ": Error: ipv4: FIB table does not exist.");
        }
        return answers.getOrDefault(line, "");
    }

    @Override
    public void sysctl(String key, String value) {
        commands.add("sysctl -q " + key + "=" + value);
        stdins.add(null); // stdins stay aligned with commands
    }

    @Override
    public boolean onPath(String program) {
        return (program.equals("resolvconf") && resolvconf) || (program.equals("nft") && nft);
    }

    @Override
    public List<String> readLines(Path file) {
        return files.getOrDefault(file, List.of());
    }

    @Override
    public void log(String line) {
        logs.add(line);
    }
}
