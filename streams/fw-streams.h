/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-streams.h: everything streams/ offers, for the app, the UI and the tests */
#pragma once

#include "fw-types.h"
#include "fw-enums.h"
#include "fw-item.h"
#include "fw-stream.h"
#include "fw-generator.h"
#include "fw-array-stream.h"
#include "fw-close-registry.h"
#include "fw-feed.h"
