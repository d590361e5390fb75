package dev.kanmon.delivery.mx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * RFC 5321 §5.1 ordering: ascending preference, hosts of equal preference in random order so that load
 * spreads over them.
 */
public final class MxOrdering {

    private MxOrdering() {
    }

    public static List<MxHost> order(List<MxHost> records, RandomGenerator random) {
        List<MxHost> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(MxHost::preference));
        List<MxHost> out = new ArrayList<>(sorted.size());
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j < sorted.size() && sorted.get(j).preference() == sorted.get(i).preference()) {
                j++;
            }
            List<MxHost> group = new ArrayList<>(sorted.subList(i, j));
            Collections.shuffle(group, asRandom(random));
            out.addAll(group);
            i = j;
        }
        return out;
    }

    private static java.util.Random asRandom(RandomGenerator random) {
        return random instanceof java.util.Random r ? r : new java.util.Random(random.nextLong());
    }
}
