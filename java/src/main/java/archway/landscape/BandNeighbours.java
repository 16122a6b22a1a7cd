package archway.landscape;

import archway.nb201.AccuracySummary;

/**
 * Neighbour accuracies of all architectures in one accuracy band at one radius.
 *
 * @param band band name ("all" for the whole table)
 * @param lo lower accuracy bound of the band (percent)
 * @param hi upper accuracy bound of the band (percent)
 * @param architectures number of architectures in the band
 * @param centreMean mean accuracy of those architectures themselves
 * @param neighbours the pooled distribution of the accuracies of all their neighbours (one entry per
 *     (architecture, neighbour) pair)
 * @param meanLocalStd mean over the band's architectures of the standard deviation within each one's own
 *     neighbourhood: spread around a point, without the spread between points of the band
 * @param histogram the pooled neighbour accuracies in 1-point bins
 */
public record BandNeighbours(String band, double lo, double hi, int architectures, double centreMean,
        AccuracySummary neighbours, double meanLocalStd, Histogram histogram) {

    /** Mean neighbour accuracy minus mean centre accuracy: negative when the band sits above its surroundings. */
    public double meanShift() {
        return neighbours.mean() - centreMean;
    }
}
