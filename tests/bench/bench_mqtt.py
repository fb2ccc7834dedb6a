# SPDX-License-Identifier: GPL-3.0-or-later
"""The Python peer of bench-mqtt: paho-mqtt (Debian's python3-paho-mqtt) subscribes to bench/#,
says "ready" once the broker acknowledged the subscription, and counts messages until it has N
or none came for a second; prints the count and the seconds from the first to the last."""

import sys
import time

import paho.mqtt.client as mqtt


def main():
    port, n = int(sys.argv[1]), int(sys.argv[2])
    state = {"count": 0, "first": 0.0, "last": 0.0}

    def on_connect(client, userdata, flags, rc):
        client.subscribe("bench/#", qos=0)

    def on_subscribe(client, userdata, mid, granted):
        print("ready", flush=True)

    def on_message(client, userdata, message):
        now = time.monotonic()
        if state["count"] == 0:
            state["first"] = now
        state["count"] += 1
        state["last"] = now
        if state["count"] >= n:
            client.disconnect()

    client = mqtt.Client(client_id="bench-paho")
    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.connect("127.0.0.1", port, keepalive=60)
    while client.loop(timeout=1.0) == mqtt.MQTT_ERR_SUCCESS:
        if state["count"] and time.monotonic() - state["last"] > 1.0:
            break
    print(state["count"], state["last"] - state["first"], flush=True)


if __name__ == "__main__":
    main()
