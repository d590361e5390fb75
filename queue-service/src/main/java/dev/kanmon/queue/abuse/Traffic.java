package dev.kanmon.queue.abuse;

/**
 * What a subscriber sent within the window, either all of it or only what came from networks new for the user.
 *
 * @param messages   messages submitted
 * @param recipients recipients addressed
 * @param domains    distinct recipient domains
 * @param fromNames  distinct header From display names
 * @param subjects   distinct subjects
 */
public record Traffic(long messages, long recipients, int domains, int fromNames, int subjects) {

    public static final Traffic NONE = new Traffic(0, 0, 0, 0, 0);
}
