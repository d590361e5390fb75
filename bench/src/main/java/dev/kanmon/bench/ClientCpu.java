package dev.kanmon.bench;

import java.lang.management.ManagementFactory;

/** The generator's own CPU time, reported apart so it is never charged to either server. */
final class ClientCpu {
    private ClientCpu() {
    }

    static long nanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
