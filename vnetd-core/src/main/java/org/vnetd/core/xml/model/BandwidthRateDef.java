package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** {@code <inbound>}/{@code <outbound>} of {@code <bandwidth>} (kilobytes/s, kilobytes). Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class BandwidthRateDef {
    @XmlAttribute(name = "average")
    private String average;
    @XmlAttribute(name = "peak")
    private String peak;
    @XmlAttribute(name = "floor")
    private String floor;
    @XmlAttribute(name = "burst")
    private String burst;

    public String getAverage() {
        return average;
    }

    public void setAverage(String average) {
        this.average = average;
    }

    public String getPeak() {
        return peak;
    }

    public void setPeak(String peak) {
        this.peak = peak;
    }

    public String getFloor() {
        return floor;
    }

    public void setFloor(String floor) {
        this.floor = floor;
    }

    public String getBurst() {
        return burst;
    }

    public void setBurst(String burst) {
        this.burst = burst;
    }

}
