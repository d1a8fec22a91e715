/*
 * capture.h - run a function with stdout redirected into a string, so that
 * help output can be checked without mixing into the TAP stream.
 */
#ifndef TERN_TEST_CAPTURE_H
#define TERN_TEST_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib.h>

static inline char *capture_stdout_begin(int *saved_fd, char **path)
{
    int fd = g_file_open_tmp("tern-stdout-XXXXXX", path, NULL);

    fflush(stdout);
    *saved_fd = dup(STDOUT_FILENO);
    dup2(fd, STDOUT_FILENO);
    close(fd);
    return *path;
}

static inline char *capture_stdout_end(int saved_fd, char *path)
{
    char *text = NULL;

    fflush(stdout);
    dup2(saved_fd, STDOUT_FILENO);
    close(saved_fd);
    g_file_get_contents(path, &text, NULL, NULL);
    unlink(path);
    g_free(path);
    return text;
}

#endif
