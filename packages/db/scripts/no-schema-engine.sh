#!/bin/sh
# Stands in for Prisma's native schema engine, which this project never runs (see prisma.config.ts).
echo "the native Prisma schema engine is not used by intrograph" >&2
exit 1
