# The portable core's sources, shared by the ESP-IDF component (CMakeLists.txt here) and the
# host build (../../host/CMakeLists.txt), so both compile exactly the same files.
set(ASYNCRPC_CORE_DIR ${CMAKE_CURRENT_LIST_DIR})
set(ASYNCRPC_CORE_SOURCES
    ${ASYNCRPC_CORE_DIR}/src/core.c
    ${ASYNCRPC_CORE_DIR}/src/task_id.c
    ${ASYNCRPC_CORE_DIR}/src/writer.c
    ${ASYNCRPC_CORE_DIR}/src/json_arena.c
    ${ASYNCRPC_CORE_DIR}/src/demo_handlers.c)
set(ASYNCRPC_CORE_INCLUDE_DIRS ${ASYNCRPC_CORE_DIR}/include)
